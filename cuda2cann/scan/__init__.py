"""The inventory of a tree's CUDA dependencies (`cuda2cann scan`) and the gate built on it (`cuda2cann check`).

    from cuda2cann.scan.engine import ScanOptions, scan_paths
    report = scan_paths([Path("src")], ScanOptions())   # ScanReport: files, findings, summary()

Per file: `analyse` (kernels, host API, Python, build scripts) → `Finding`s; per tree: launch sites resolved
against the kernels found, then summaries (`summary`), reports (`cuda2cann.report`), baselines (`baseline`).
"""
