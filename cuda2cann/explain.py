"""`cuda2cann explain FILE[:KERNEL]`: the lifted IR, the lowering plan and the code, or the finding."""
from __future__ import annotations

from pathlib import Path

from cuda2cann.backends.ascendc.render import render_operator
from cuda2cann.frontend.cuda.translation_unit import analyse_file
from cuda2cann.ir.printer import format_operator
from cuda2cann.validate.soc import soc_profile
from cuda2cann.verdict import judge_kernel


def _describe_size(plan) -> str:
    match plan.layout:
        case "flat":
            return f"{plan.flat_extent} elements, tiles of {plan.tile_elems}"
        case "rows":
            return f"{plan.rows} rows of {plan.cols}, tiles of {plan.tile_elems}"
        case "row_reduce":
            return f"{plan.rows} rows of {plan.cols}, chunks of {plan.chunk_elems}"
        case "column_reduce":
            return f"{plan.cols} columns reduced over {plan.rows} rows, chunks of {plan.chunk_elems} columns"
        case "full_reduce":
            return f"{plan.total} elements split over the cores, chunks of {plan.chunk_elems}, partials combined by a second launch"
    return f"{plan.rows} rows of {plan.cols}, one pass per row of up to {plan.max_cols}, chunked passes beyond"


def explain_target(path: Path, kernel: str | None, soc: str, include_dirs: tuple[Path, ...] = (),
                   defines: dict[str, str] | None = None) -> tuple[str, bool]:
    """Text for each kernel of `path` (or just `kernel`), and whether all of them translate."""
    tu = analyse_file(path, include_dirs, defines)
    chosen = [k for k in tu.kernels if kernel in (None, k.name)]
    if not chosen:
        names = ", ".join(k.name for k in tu.kernels) or "none"
        return f"{path}: no kernel named {kernel!r} (kernels: {names})", False
    parts, ok = [], True
    for k in chosen:
        parts.append(f"=== {path}:{k.line} kernel {k.name}")
        if k.lifted is None:
            parts.append(f"unported: {k.code} at line {k.line}: {k.message}")
            ok = False
            continue
        parts += ["--- lifted IR", format_operator(k.lifted.operator)]
        verdict = judge_kernel(k, soc_profile(soc))
        if not verdict.translates:
            parts.append(f"unported: {verdict.code}: {verdict.message}")
            ok = False
            continue
        plan = verdict.plan
        size = _describe_size(plan)
        parts += ["--- plan", f"class {k.lifted.operator.op_class} ({plan.layout} layout) on {soc}: {size}, "
                  f"{plan.ub_bytes} B of UB, {len(plan.instrs)} vector instructions per tile"]
        parts += [f"note: {n}" for n in plan.notes]
        files = render_operator(plan)
        parts += ["--- kernel", files[f"{plan.name}.cpp"]]
    return "\n".join(parts), ok
