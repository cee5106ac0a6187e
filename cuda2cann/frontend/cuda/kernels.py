"""Find kernels, device functions and launch sites in a parsed CUDA translation unit."""
from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from cuda2cann.frontend.cuda.parser import function_name, text, walk

#: CUDA element type spellings → IR dtype names
ELEMENT_TYPES = {
    "float": "float32", "double": "float64", "__half": "float16", "half": "float16", "__nv_bfloat16": "bfloat16",
    "nv_bfloat16": "bfloat16", "int": "int32", "int32_t": "int32", "unsigned": "uint32", "unsigned int": "uint32",
    "uint32_t": "uint32", "long": "int64", "long long": "int64", "int64_t": "int64", "long int": "int64",
    "unsigned long long": "uint64", "uint64_t": "uint64", "size_t": "uint64", "short": "int16", "int16_t": "int16",
    "unsigned short": "uint16", "uint16_t": "uint16", "char": "int8", "signed char": "int8", "int8_t": "int8",
    "unsigned char": "uint8", "uint8_t": "uint8", "bool": "bool",
}
#: vector types: name → (element dtype, lanes)
VECTOR_TYPES = {f"{base}{n}": (elem, n) for base, elem in (("float", "float32"), ("int", "int32"), ("uint", "uint32"),
                                                          ("double", "float64"), ("half", "float16"))
                for n in (2, 4)} | {"__half2": ("float16", 2), "half2": ("float16", 2), "__nv_bfloat162": ("bfloat16", 2)}


@dataclass(frozen=True)
class CType:
    """A parsed C type: base spelling, pointer depth, const-ness of the pointee, C++ reference."""

    base: str
    pointer: int = 0
    const: bool = False
    reference: bool = False

    @property
    def dtype_name(self) -> str | None:
        return ELEMENT_TYPES.get(self.base)

    @property
    def vector(self) -> tuple[str, int] | None:
        return VECTOR_TYPES.get(self.base)


@dataclass(frozen=True)
class ParamDecl:
    name: str
    type: CType


@dataclass
class FunctionDef:
    name: str
    node: Node
    params: list[ParamDecl]
    is_kernel: bool
    template_params: list[str] = field(default_factory=list)
    return_type: str = "void"

    @property
    def body(self) -> Node:
        return self.node.child_by_field_name("body")


@dataclass(frozen=True)
class LaunchSite:
    kernel: str
    template_args: tuple[str, ...]
    config: tuple[str, ...]
    args: tuple[str, ...]
    line: int

    def block_dims(self) -> tuple[int, ...] | None:
        """The block shape when the launch spells it as literals (`128`, `dim3(32, 4)`), else None."""
        if len(self.config) < 2:
            return None
        text_ = self.config[1].replace(" ", "")
        if text_.isdigit():
            return (int(text_),)
        if text_.startswith("dim3(") and text_.endswith(")"):
            parts = text_[5:-1].split(",")
            if parts and all(p.isdigit() for p in parts):
                return tuple(int(p) for p in parts)
        return None


def parse_type(type_node: Node | None, declarator: Node | None, extra_qualifiers: list[str]) -> tuple[CType, str | None]:
    """Type and declared name of a parameter/declaration from its syntax nodes."""
    base = text(type_node) if type_node is not None else "int"
    const = "const" in extra_qualifiers
    pointer, name, reference = 0, None, False
    d = declarator
    while d is not None:
        if d.type in ("pointer_declarator", "abstract_pointer_declarator"):
            pointer += 1  # a const pointer (`float* const p`) says nothing about the pointee
            d = d.child_by_field_name("declarator")
        elif d.type in ("identifier", "field_identifier"):
            name = text(d)
            break
        elif d.type == "reference_declarator":
            reference = True
            d = next((c for c in d.named_children), None)
        else:
            d = d.child_by_field_name("declarator")
    base = " ".join(base.replace("__restrict__", "").split())
    return CType(base, pointer, const, reference), name


def _qualifiers(node: Node) -> list[str]:
    return [text(c) for c in node.children if c.type == "type_qualifier"]


def function_defs(root: Node) -> list[FunctionDef]:
    """Every function definition, with `__global__` ones marked as kernels."""
    out = []
    for node in walk(root):
        if node.type != "function_definition":
            continue
        name = function_name(node)
        if name is None:
            continue
        head = node.text[: node.child_by_field_name("body").start_byte - node.start_byte] if node.child_by_field_name("body") else b""
        decl = node.child_by_field_name("declarator")
        while decl is not None and decl.type != "function_declarator":
            decl = decl.child_by_field_name("declarator")
        params = []
        for p in decl.child_by_field_name("parameters").named_children if decl is not None else []:
            if p.type != "parameter_declaration":
                continue
            ctype, pname = parse_type(p.child_by_field_name("type"), p.child_by_field_name("declarator"), _qualifiers(p))
            if pname:
                params.append(ParamDecl(pname, ctype))
        template = node.parent if node.parent is not None and node.parent.type == "template_declaration" else None
        tparams = []
        if template is not None:
            plist = template.child_by_field_name("parameters")
            tparams = [text(c.named_children[-1]) for c in plist.named_children if c.named_children]
        rtype = node.child_by_field_name("type")
        out.append(FunctionDef(name, node, params, b"__global__" in head, tparams, " ".join(text(rtype).split()) if rtype else "void"))
    return out


def launch_sites(root: Node) -> list[LaunchSite]:
    out = []
    for node in walk(root):
        if node.type != "call_expression":
            continue
        config = next((c for c in node.children if c.type == "kernel_call_syntax"), None)
        if config is None:
            continue
        fn = node.child_by_field_name("function")
        targs: tuple[str, ...] = ()
        if fn.type == "template_function":
            targs = tuple(text(a) for a in fn.child_by_field_name("arguments").named_children)
            fn = fn.child_by_field_name("name")
        args = tuple(text(a) for a in node.child_by_field_name("arguments").named_children if a.type != "comment")
        out.append(LaunchSite(text(fn), targs, tuple(text(c) for c in config.named_children), args, node.start_point[0] + 1))
    return out


def type_aliases(root: Node) -> dict[str, str]:
    """File-level `typedef T name;` and `using name = T;` of plain (non-pointer) types."""
    out: dict[str, str] = {}
    for node in walk(root):
        if node.type == "type_definition":
            decl = node.child_by_field_name("declarator")
            if decl is not None and decl.type == "type_identifier":
                out[text(decl)] = " ".join(text(node.child_by_field_name("type")).split())
        elif node.type == "alias_declaration":
            target = node.child_by_field_name("type")
            if target is not None and target.child_by_field_name("declarator") is None:
                out[text(node.child_by_field_name("name"))] = " ".join(text(target.child_by_field_name("type")).split())
    for name, target in list(out.items()):  # resolve chains: typedef real acc;
        seen = {name}
        while target in out and target not in seen:
            seen.add(target)
            target = out[target]
        out[name] = target
    return out
