"""Producers' results → `Finding`s: kernel verdicts, host-API uses (`ApiUse`), Python migration changes and findings."""
from __future__ import annotations

from cuda2cann.codes import code_info
from cuda2cann.findings import STATUS_OF_MAPPING, Finding, at_line
from cuda2cann.frontend.cuda.host_api import ApiUse
from cuda2cann.frontend.cuda.translation_unit import KernelOutcome
from cuda2cann.verdict import KernelVerdict

_CODE_OF_KIND = {"function": "C2C301", "type": "C2C302", "enum": "C2C303", "header": "C2C304", "launch": "C2C305"}
#: Python codes that are not CUDA dependencies of the file (an edit the migration adds of its own)
_PYTHON_BOOKKEEPING = {"C2C511"}
#: Python codes about building extensions: reported under the `build` category
_PYTHON_BUILD = {"C2C509"}


def kernel_api(kernel: KernelOutcome) -> str:
    """`name`, or `name<float, half>` for one instantiation of a template."""
    return kernel.name + (f"<{', '.join(kernel.template_args.values())}>" if kernel.template_args else "")


def from_kernel(kernel: KernelOutcome, verdict: KernelVerdict, path: str) -> Finding:
    """A translated kernel (C2C310; approximate when its plan states a numerical approximation) or the finding that
    stops it."""
    api = kernel_api(kernel)
    if not verdict.translates:
        code = verdict.code or "C2C199"
        return at_line(path, kernel.line, 1, 1, code=code, category="kernel", api=api, library="cuda", status="unported",
                       message=f"kernel {api}: {verdict.message}", hint=code_info(code).hint)
    notes = verdict.notes
    return at_line(path, kernel.line, 1, 1, code="C2C310", category="kernel", api=api, library="cuda",
                   status="approximate" if verdict.approximations else "ported",
                   message=f"kernel {api} ({verdict.op_class}) translates to AscendC" + (f"; note: {'; '.join(notes)}" if notes else ""),
                   hint=code_info("C2C310").hint)


def from_api_use(use: ApiUse, path: str) -> Finding:
    if use.kind == "launch":
        return Finding(path, use.line, use.column, use.end_line, use.end_column, "C2C305", "launch", use.name, use.library,
                       "unported", f"launch of kernel {use.name}", code_info("C2C305").hint)
    status = STATUS_OF_MAPPING[use.status]
    code = "C2C306" if use.status == "unknown" else _CODE_OF_KIND[use.kind]
    if use.status == "unknown":
        message = f"{use.name}: not in the {use.library} mapping table"
    elif status == "unported":
        message = f"{use.name}: no CANN counterpart"
    else:
        message = f"{use.name} → {use.target}" + (" (approximate)" if status == "approximate" else "")
    return Finding(path, use.line, use.column, use.end_line, use.end_column, code, use.kind, use.name, use.library, status,
                   message, use.note or code_info(code).hint)


def from_python(item, path: str) -> Finding | None:
    """A migration `Change` (done by `translate`) or `Finding` (to review); None for the migration's own bookkeeping."""
    if item.code in _PYTHON_BOOKKEEPING:
        return None
    status = "unported" if item.code == "C2C500" else STATUS_OF_MAPPING.get(item.status, "unported")
    return at_line(path, item.line, item.column, len(item.api), code=item.code,
                   category="build" if item.code in _PYTHON_BUILD else "python", api=item.api, library="torch", status=status,
                   message=item.message, hint=code_info(item.code).hint)


def launch_resolved(finding: Finding, kernels: dict[str, str]) -> Finding:
    """A launch site takes the status of the kernel it launches, when the scan found that kernel."""
    status = kernels.get(finding.api)
    if status is None:
        return finding.with_changes(message=f"launch of kernel {finding.api}, which is not defined in the scanned files")
    return finding.with_changes(status=status, message=f"launch of kernel {finding.api} ({status})")
