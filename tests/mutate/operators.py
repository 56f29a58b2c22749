# SPDX-License-Identifier: GPL-2.0
"""Mutation operators for C source text.

A file is tokenized once (comments, string and character literals and
preprocessor lines other than #define bodies are never mutated); each operator
walks the tokens and yields edits (start, end, replacement, op, description).
Every edit is one mutant: the engine applies exactly one to a copy of the file.

Mutant ids are stable: a hash of the file, the enclosing function, the text of
the mutated line (and which of its equal lines in the function it is), the
column in the stripped line and the edit. Edits elsewhere in the file do not
change them.
"""
import hashlib
import re

PUNCT = sorted("""
<<= >>= ... -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= ##
{ } [ ] ( ) ; , < > + - * / % & | ^ ! ~ ? : = . #
""".split(), key=len, reverse=True)

KEYWORDS = set("""
auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef
union unsigned void volatile while _Bool bool u8 u16 u32 u64 s8 s16 s32 s64 size_t
unsigned
""".split())

# Calls whose arguments after the format string are printed fields.
PRINTF_FUNCS = set("""
printk pr_emerg pr_alert pr_crit pr_err pr_warn pr_notice pr_info pr_debug pr_cont
seq_printf snprintf scnprintf sprintf vsnprintf dump_page_line
""".split())

# Calls that only update a counter or statistic: dropping one is a lost update.
COUNTER_CALL = re.compile(r"^(__)?(count_|inc_|dec_|mod_|__mod_|atomic_(inc|dec|add|sub))|"
                          r"_(inc|dec|add|sub)(_\w+)?$|_stat$")

# Lines never mutated: compile-time checks only turn into build errors.
SKIP_LINE = re.compile(r"\b(BUILD_BUG_ON|static_assert|_Static_assert)\b")


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line")

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, end, line

    def __repr__(self):
        return "Tok(%s,%r,%d)" % (self.kind, self.text, self.line)


def tokenize(src):
    """Tokens of the code in src: ident, num, punct. Skips comments, literals
    (kept as 'str'/'chr' tokens so calls can be parsed) and directives other
    than #define, whose body is tokenized."""
    toks = []
    i, n, line = 0, len(src), 1
    at_line_start = True
    in_define = False
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            in_define = False
            continue
        if c == "\\" and i + 1 < n and src[i + 1] == "\n":
            line += 1
            i += 2
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
            continue
        if c == "#" and at_line_start:
            m = re.match(r"#\s*(\w+)", src[i:])
            if m and m.group(1) == "define":
                # Skip the macro name (and its parameters), mutate the body.
                m2 = re.match(r"#\s*define\s+\w+(\([^)]*\))?", src[i:])
                i += m2.end()
                in_define = True
                at_line_start = False
                continue
            # Any other directive: skip to the end of the logical line.
            j = i
            while True:
                k = src.find("\n", j)
                if k < 0:
                    k = n
                    break
                if src[k - 1] == "\\":
                    line += 1
                    j = k + 1
                    continue
                break
            i = k
            continue
        at_line_start = False
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("str" if c == '"' else "chr", src[i:j + 1], i, j + 1, line))
            i = j + 1
            continue
        m = re.match(r"[A-Za-z_]\w*", src[i:i + 200])
        if m:
            toks.append(Tok("ident", m.group(0), i, i + m.end(), line))
            i += m.end()
            continue
        m = re.match(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)", src[i:i + 60])
        if m:
            toks.append(Tok("num", m.group(0), i, i + m.end(), line))
            i += m.end()
            continue
        for p in PUNCT:
            if src.startswith(p, i):
                toks.append(Tok("punct", p, i, i + len(p), line))
                i += len(p)
                break
        else:
            i += 1
    return toks


def _operand_end(t):
    """Can a binary operator follow this token?"""
    return t.kind in ("ident", "num", "str", "chr") and t.text not in KEYWORDS - {"sizeof"} \
        or t.text in (")", "]")


REL_FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
BINARY_SWAPS = {"+": "-", "-": "+", "&&": "||", "||": "&&", "&": "|", "|": "&",
                "<<": ">>", ">>": "<<", "+=": "-=", "-=": "+=", "|=": "&=", "&=": "|="}
OP_NAMES = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne", "+": "add",
            "-": "sub", "&&": "and", "||": "or", "&": "band", "|": "bor", "<<": "shl",
            ">>": "shr", "+=": "addeq", "-=": "subeq", "|=": "oreq", "&=": "andeq",
            "++": "inc", "--": "dec"}


def _matching(toks, i, open_, close):
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].text == open_:
            depth += 1
        elif toks[j].text == close:
            depth -= 1
            if depth == 0:
                return j
    return None


def _split_args(toks, lo, hi):
    """Top-level comma-separated spans of toks[lo:hi] as (first, last) index pairs."""
    spans, depth, first = [], 0, lo
    for j in range(lo, hi):
        t = toks[j].text
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
        elif t == "," and depth == 0:
            if j > first:
                spans.append((first, j - 1))
            first = j + 1
    if hi > first:
        spans.append((first, hi - 1))
    return spans


def op_relational(src, toks):
    for k, t in enumerate(toks):
        if t.kind == "punct" and t.text in REL_FLIPS and k > 0 and _operand_end(toks[k - 1]):
            r = REL_FLIPS[t.text]
            yield t.start, t.end, r, "rel", "%s -> %s" % (t.text, r)


def op_arith(src, toks):
    for k, t in enumerate(toks):
        if t.kind != "punct" or t.text not in BINARY_SWAPS:
            continue
        if t.text in ("+", "-", "&", "|", "&&", "||", "<<", ">>") and not (
                k > 0 and _operand_end(toks[k - 1])):
            continue        # unary + - &, or not an expression
        r = BINARY_SWAPS[t.text]
        kind = "logic" if t.text in ("&&", "||") else "bit" if t.text in (
            "&", "|", "<<", ">>", "|=", "&=") else "arith"
        yield t.start, t.end, r, kind, "%s -> %s" % (t.text, r)


def op_not(src, toks):
    for k, t in enumerate(toks):
        if t.text == "!" and t.kind == "punct":
            yield t.start, t.end, "", "not", "drop !"


def _in_array_declarator(toks, k):
    """NUM in `name[NUM]` followed by ; = [ ) or , : a declared size."""
    return (k > 1 and toks[k - 1].text == "[" and toks[k - 2].kind == "ident"
            and k + 2 < len(toks) and toks[k + 1].text == "]"
            and toks[k + 2].text in (";", "=", "[", ",", ")")
            and toks[k - 2].text not in KEYWORDS)


def op_const(src, toks):
    for k, t in enumerate(toks):
        if t.kind != "num" or _in_array_declarator(toks, k):
            continue
        m = re.match(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)$", t.text)
        digits, suffix = m.group(1), m.group(2)
        hexa = digits[:2].lower() == "0x"
        v = int(digits, 16 if hexa else 10)
        if digits.startswith("0") and not hexa and len(digits) > 1:
            continue        # octal: leave alone
        fmt = (lambda x: "0x%x" % x) if hexa else str
        for nv in (v + 1, v - 1):
            if nv < 0:
                continue
            yield t.start, t.end, fmt(nv) + suffix, "const", "%s -> %s" % (t.text, fmt(nv) + suffix)


def _statements(toks):
    """(first, semicolon) index pairs of expression statements."""
    k = 0
    for k, t in enumerate(toks):
        if k and toks[k - 1].text not in (";", "{", "}", "else", ")", ":"):
            continue
        if t.kind != "ident" and t.text not in ("++", "--", "*"):
            continue
        if t.text in KEYWORDS or t.text in ("return", "goto", "case", "default", "break",
                                            "continue", "if", "while", "for", "switch", "do"):
            continue
        depth, j = 0, k
        while j < len(toks):
            x = toks[j].text
            if x in "([":
                depth += 1
            elif x in ")]":
                depth -= 1
                if depth < 0:
                    break
            elif x in "{}":
                break
            elif x == ";" and depth == 0:
                yield k, j
                break
            j += 1


def op_drop_update(src, toks):
    """Delete a counter update: x++; x -= n; stat_inc(...);"""
    for k, j in _statements(toks):
        body = toks[k:j]
        top = [t.text for t in body]
        first = toks[k]
        is_update = any(x in ("++", "--", "+=", "-=", "|=", "&=", "^=", "<<=", ">>=")
                        for x in top) and "=" not in top
        is_call = (first.kind == "ident" and len(body) > 1 and body[1].text == "("
                   and COUNTER_CALL.search(first.text) and toks[j - 1].text == ")"
                   and _matching(toks, k + 1, "(", ")") == j - 1)
        if is_update or is_call:
            text = src[first.start:toks[j].end]
            yield first.start, toks[j].end, "(void)0;", "drop", "drop `%s`" % _short(text)


def op_swap_printf_args(src, toks):
    for k, t in enumerate(toks):
        if t.kind != "ident" or t.text not in PRINTF_FUNCS or k + 1 >= len(toks) \
                or toks[k + 1].text != "(":
            continue
        close = _matching(toks, k + 1, "(", ")")
        if close is None:
            continue
        args = _split_args(toks, k + 2, close)
        fmt = next((i for i, (a, b) in enumerate(args) if toks[a].kind == "str"), None)
        if fmt is None:
            continue
        vals = args[fmt + 1:]
        for (a1, b1), (a2, b2) in zip(vals, vals[1:]):
            s1 = src[toks[a1].start:toks[b1].end]
            s2 = src[toks[a2].start:toks[b2].end]
            if s1 == s2:
                continue
            text = src[toks[a1].start:toks[b2].end]
            mid = src[toks[b1].end:toks[a2].start]
            yield toks[a1].start, toks[b2].end, s2 + mid + s1, "swap", \
                "swap printed fields `%s` and `%s`" % (_short(s1), _short(s2))


def op_swap_table(src, toks):
    """Swap two adjacent entries of an initializer list (not designated ones)."""
    for k, t in enumerate(toks):
        if t.text != "{" or k == 0 or toks[k - 1].text not in ("=", ",", "{"):
            continue
        close = _matching(toks, k, "{", "}")
        if close is None:
            continue
        spans = _split_args(toks, k + 1, close)
        if len(spans) < 2:
            continue
        for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
            if toks[a1].text in (".", "[") or toks[a2].text in (".", "["):
                continue
            s1 = src[toks[a1].start:toks[b1].end]
            s2 = src[toks[a2].start:toks[b2].end]
            if s1 == s2:
                continue
            mid = src[toks[b1].end:toks[a2].start]
            yield toks[a1].start, toks[b2].end, s2 + mid + s1, "table", \
                "swap entries `%s` and `%s`" % (_short(s1), _short(s2))


def op_return_bool(src, toks):
    for k, t in enumerate(toks):
        if t.text == "return" and k + 2 < len(toks) and toks[k + 2].text == ";" \
                and toks[k + 1].text in ("true", "false"):
            r = "false" if toks[k + 1].text == "true" else "true"
            yield toks[k + 1].start, toks[k + 1].end, r, "return", "return %s" % r


OPERATORS = {
    "rel": op_relational,
    "arith": op_arith,
    "not": op_not,
    "const": op_const,
    "drop": op_drop_update,
    "swap": op_swap_printf_args,
    "table": op_swap_table,
    "return": op_return_bool,
}


def _short(s, n=40):
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 3] + "..."


FUNC_DEF = re.compile(r"^[A-Za-z_][^;=]*?\b([A-Za-z_]\w*)\s*\(")


def function_names(src):
    """For each line (1-based index), the function whose body it is in ('' outside)."""
    names, current, pending = [""], "", ""
    for text in src.split("\n"):
        m = FUNC_DEF.match(text)
        if m and not text.rstrip().endswith(";") and not text.startswith("typedef"):
            pending = m.group(1)
        if text.startswith("{") and pending:
            current = pending
        names.append(current or pending)
        if text.startswith("}"):
            current = pending = ""
    return names


class Mutant:
    __slots__ = ("path", "id", "line", "op", "desc", "start", "end", "repl", "func")

    def apply(self, src):
        return src[:self.start] + self.repl + src[self.end:]

    def __repr__(self):
        return "%s %s:%d %s" % (self.id, self.path, self.line, self.desc)


def mutants(path, src, ops=None):
    toks = tokenize(src)
    lines = src.split("\n")
    funcs = function_names(src)
    line_starts = [0]
    for text in lines:
        line_starts.append(line_starts[-1] + len(text) + 1)
    seen = {}
    out = []
    for name, fn in OPERATORS.items():
        if ops and name not in ops:
            continue
        for start, end, repl, op, desc in fn(src, toks):
            line = src.count("\n", 0, start) + 1
            text = lines[line - 1]
            if SKIP_LINE.search(text):
                continue
            func = funcs[line] if line < len(funcs) else ""
            col = start - line_starts[line - 1] - (len(text) - len(text.lstrip()))
            key = "%s|%s|%s|%d|%s|%s|%s" % (path, func, text.strip(), col, op, repl,
                                             src[start:end])
            n = seen.get(key, 0)
            seen[key] = n + 1
            m = Mutant()
            m.path, m.line, m.op, m.desc, m.func = path, line, op, desc, func
            m.start, m.end, m.repl = start, end, repl
            m.id = "%s@%s" % (path.rsplit("/", 1)[-1].replace(".c", ""),
                              hashlib.sha1(("%s|%d" % (key, n)).encode()).hexdigest()[:8])
            out.append(m)
    out.sort(key=lambda m: (m.start, m.id))
    return out
