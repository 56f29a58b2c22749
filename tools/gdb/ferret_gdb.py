# SPDX-License-Identifier: GPL-2.0
"""Post-mortem page_owner for ferret: gdb commands that read a halted target.

    (gdb) source tools/gdb/ferret_gdb.py
    (gdb) ferret-page-owner [-o FILE]         every allocated block, as `page_owner`
    (gdb) ferret-page-owner-stacks [-o FILE]  as `page_owner_stacks` (show_stacks)
    (gdb) ferret-slab-owners [-o FILE]        live kmalloc/cache objects per allocation
                                              stack and context, as the object section of
                                              `leaks` without a checkpoint (slab_owner=on)
    (gdb) ferret-check-symbols                the ELF's symbols against the target's
                                              kallsyms (is this the running kernel?)

ferret-page-owner prints the same records, byte for byte, as the console's
`page_owner` command would print for the same memory, so Linux's
tools/mm/page_owner_sort and tools/analyse read either. It reads mem_map,
page_ext, the stack depot and the small tables page_owner prints from (gfp
names, contexts, interned gfp/context pairs) out of target memory through
gdb; it needs the kernel ELF with debug info (build/<board>/ferret.elf), as
gdb's `file`, and works on QEMU's gdb stub or OpenOCD's (a real board halted
by JTAG) alike. Nothing is written to the target.

Frames are symbolized from the ELF's own symbol table with the rules of the
kernel's kallsyms (tools/kallsyms.c): text symbols only, a symbol's size runs
to the next symbol, and of several symbols at one address the first by name
wins, so "func+0xoff/0xsize" matches the console's %pS exactly. Without a
readable ELF, gdb's own symbol lookup and block ranges are used instead.

What this file assumes of the kernel (keep in sync with it):
  include/ferret/mm_types.h   struct page (flags word first), PAGE_ORDER_SHIFT/BITS
  include/ferret/stackdepot.h record layout, handles 0/1, FIRST_RECORD 2
  include/ferret/page_owner_record.h
                              struct page_owner (field positions come from DWARF; the
                              12-byte record's time code t, see po_ts_us())
  mm/page_owner.c             print_page_owner()'s format, actx/contexts
  mm/slab_owner.h             the 16-byte object owner record (SO_* bits), after the
                              objects at kmem_cache.owner_offset; slab_map.caches[]
"""
import bisect
import os
import struct

import gdb

PAGE_ORDER_SHIFT = 16
PAGE_ORDER_MASK = 0xF << PAGE_ORDER_SHIFT
MIGRATE_PCPTYPES = 3                      # gfp_migratetype(): both bits -> Unmovable
GFP_MOVABLE_MASK, GFP_MOVABLE_SHIFT = 0x18, 3
ACTX_MAX = 255
NSEC_PER_USEC = 1000

DEPOT_HANDLE_FULL = 1
DEPOT_FIRST_RECORD = 2
DEPOT_HDR_WORDS = 2                       # next, info
DEPOT_INFO_NR_MASK = 0x3F
DEPOT_INFO_WIDE = 0x80

CHUNK = 64 * 1024

# mm/slab_owner.h: word 0 of an object owner record.
SO_HANDLE_MASK = (1 << 17) - 1
SO_PID_SHIFT, SO_PID_MASK = 34, 0x3F
SO_LIVE = 1 << 46
SO_WASTE_SHIFT, SO_WASTE_MASK = 53, 1023
PAGE_SLAB_ID_SHIFT = 20


# ---------------------------------------------------------------------------
# Symbols: the ELF's symbol table with tools/kallsyms' rules.
# ---------------------------------------------------------------------------
def is_marker(name):
    """Linker-script markers (_text, __foo_start, __foo_end): not functions."""
    if name in ("_text", "_etext"):
        return True
    return name.startswith("__") and (name.endswith("_start") or name.endswith("_end"))


class KallsymsTable:
    """The running kernel's own embedded symbol table, read from target memory:
    the exact table the console's %pS uses."""

    def __init__(self, mem):
        n = mem.u32(int(val("&kallsyms_num")))
        offs = int(val("&kallsyms_offsets"))
        sizes = int(val("&kallsyms_sizes"))
        name_offs = int(val("&kallsyms_name_offsets"))
        names = int(val("&kallsyms_names"))
        text = int(val("&_text"))
        self.etext = int(val("&_etext"))
        raw_off = mem.read(offs, 4 * n)
        raw_size = mem.read(sizes, 4 * n)
        raw_noff = mem.read(name_offs, 4 * n)
        self.addrs = [text + x for x in struct.unpack("<%dI" % n, raw_off)]
        self.sizes = list(struct.unpack("<%dI" % n, raw_size))
        noffs = struct.unpack("<%dI" % n, raw_noff)
        blob = mem.read(names, (noffs[-1] + 256) if n else 1)
        self.names = [blob[o:blob.index(b"\0", o)].decode("latin-1") for o in noffs]

    def lookup(self, addr):
        if addr >= self.etext:
            return None
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0 or addr - self.addrs[i] >= self.sizes[i]:
            return None
        return self.names[i], addr - self.addrs[i], self.sizes[i]


class ElfSymbols:
    SHF_EXECINSTR = 0x4
    STT_FUNC, STT_SECTION, STT_FILE = 2, 3, 4
    EM_ARM = 40

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] != 1:
            raise ValueError("%s: not a little-endian ELF file" % path)
        # ELF32 (32-bit Arm) or ELF64: where the header fields sit, and the
        # section header and symbol layouts.
        if data[4] == 1:
            shoff, = struct.unpack_from("<I", data, 0x20)
            shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
            sec_fmt, sym_size = "<IIIIIIIIII", 16
        else:
            shoff, = struct.unpack_from("<Q", data, 0x28)
            shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
            sec_fmt, sym_size = "<IIQQQQIIQQ", 24
        # A 32-bit Arm function symbol's bit 0 says Thumb (newlib's code), not where it is.
        thumb_bit = 1 if struct.unpack_from("<H", data, 0x12)[0] == self.EM_ARM else 0
        secs = [struct.unpack_from(sec_fmt, data, shoff + i * shentsize)
                for i in range(shnum)]
        syms = []
        etext = 0
        for name, typ, flags, addr, off, size, link, info, align, entsize in secs:
            if typ != 2:                  # SHT_SYMTAB
                continue
            stroff = secs[link][4]
            for k in range(size // sym_size):
                if sym_size == 16:
                    st_name, st_value, st_size, st_info, st_other, st_shndx = \
                        struct.unpack_from("<IIIBBH", data, off + k * 16)
                else:
                    st_name, st_info, st_other, st_shndx, st_value, st_size = \
                        struct.unpack_from("<IBBHQQ", data, off + k * 24)
                if st_info & 0xF == self.STT_FUNC:
                    st_value &= ~thumb_bit
                end = data.index(b"\0", stroff + st_name)
                sname = data[stroff + st_name:end].decode("latin-1")
                if sname == "_etext":
                    etext = st_value
                stype = st_info & 0xF
                if (st_shndx == 0 or st_shndx >= 0xFF00 or st_shndx >= len(secs) or
                        stype in (self.STT_SECTION, self.STT_FILE) or not sname):
                    continue
                if not secs[st_shndx][2] & self.SHF_EXECINSTR:
                    continue              # nm's t/T/w/W: code sections only
                if sname.startswith("$") or sname.startswith(".L"):
                    continue
                if is_marker(sname):
                    continue              # linker-script markers are not functions
                syms.append((st_value, -st_size, sname.encode("latin-1")))
        # By address; at a shared address the largest (sized) symbol wins,
        # then the first by name, as tools/kallsyms.c decides.
        syms.sort()
        self.addrs, self.names, self.sizes = [], [], []
        for addr, negsize, name in syms:
            if self.addrs and self.addrs[-1] == addr:
                continue
            self.addrs.append(addr)
            self.names.append(name.decode("latin-1"))
            self.sizes.append(-negsize)
        for i, a in enumerate(self.addrs):
            if not self.sizes[i]:
                nxt = self.addrs[i + 1] if i + 1 < len(self.addrs) else (etext or a + 4)
                self.sizes[i] = nxt - a if nxt > a else 4
        self.text = self.addrs[self.names.index("_text")] if "_text" in self.names else 0
        self.etext = etext

    def lookup(self, addr):
        """(name, offset, size) as kallsyms_lookup(), or None."""
        if not self.addrs or addr < self.text or (self.etext and addr >= self.etext):
            return None
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0 or addr - self.addrs[i] >= self.sizes[i]:
            return None
        return self.names[i], addr - self.addrs[i], self.sizes[i]


def gdb_symbol(addr):
    """gdb's own lookup: the outermost (non-inlined) function block holding @addr."""
    try:
        block = gdb.block_for_pc(addr)
    except RuntimeError:
        block = None
    func = None
    while block is not None and not block.is_global and not block.is_static:
        if block.function is not None:
            func = block
        block = block.superblock
    if func is None:
        return None
    return func.function.name, addr - func.start, func.end - func.start


class Symbolizer:
    def __init__(self):
        self.elf = None
        self.table = None
        try:
            self.table = KallsymsTable(Memory())
        except (gdb.error, gdb.MemoryError, ValueError, struct.error):
            self.table = None
        path = gdb.current_progspace().filename
        if path and os.path.exists(path):
            try:
                self.elf = ElfSymbols(path)
            except (OSError, ValueError) as e:
                gdb.write("ferret: %s; using gdb's symbol lookup\n" % e)
        self.cache = {}

    def pS(self, addr):
        s = self.cache.get(addr)
        if s is None:
            # %pB: a return address is looked up one byte back.
            if self.table:
                r = self.table.lookup(addr - 1)
            elif self.elf:
                r = self.elf.lookup(addr - 1)
            else:
                r = gdb_symbol(addr - 1)
            s = "%s+0x%x/0x%x" % (r[0], r[1] + 1, r[2]) if r and addr else "0x%x" % addr
            self.cache[addr] = s
        return s


# ---------------------------------------------------------------------------
# Target memory
# ---------------------------------------------------------------------------
def val(expr):
    return gdb.parse_and_eval(expr)


def static(file, name):
    """A file-scope static of the kernel (several files may use the name)."""
    return gdb.parse_and_eval("'%s'::%s" % (file, name))


def cstring(ptr):
    return ptr.string(encoding="latin-1") if int(ptr) else ""


class Memory:
    """Chunked, cached reads of target memory."""

    def __init__(self):
        self.inf = gdb.selected_inferior()
        self.chunks = {}

    def read(self, addr, size):
        out = b""
        while size:
            base = addr - addr % CHUNK
            chunk = self.chunks.get(base)
            if chunk is None:
                chunk = self._read_chunk(base)
                self.chunks[base] = chunk
            n = min(size, base + CHUNK - addr)
            part = chunk[addr - base:addr - base + n]
            if not isinstance(part, bytes):
                if None in part:
                    raise gdb.MemoryError("Cannot access memory at address 0x%x"
                                          % (addr + part.index(None)))
                part = bytes(part)
            out += part
            addr += n
            size -= n
        return out

    def _read_chunk(self, base):
        """A chunk at once; if part of it is not mapped (guard pages next to the
        kernel's stacks), page by page, None for each byte of a page that is not."""
        try:
            return bytes(self.inf.read_memory(base, CHUNK))
        except gdb.MemoryError:
            pages = []
            for off in range(0, CHUNK, 4096):
                try:
                    pages.append(bytes(self.inf.read_memory(base + off, 4096)))
                except gdb.MemoryError:
                    pages.append([None] * 4096)
            return [b for page in pages for b in page]

    def u32(self, addr):
        return struct.unpack("<I", self.read(addr, 4))[0]


class Kernel:
    """What print_page_owner() reads, taken from the halted target."""

    def __init__(self):
        self.mem = Memory()
        self.sym = Symbolizer()
        if not int(val("page_owner_inited_key.enabled")):
            raise gdb.GdbError("page_owner is off on the target (boot with page_owner=on)")
        self.mem_map = int(val("mem_map"))
        self.pfn_base = int(val("mem_map_pfn_base"))
        self.nr = int(val("max_mapnr"))
        self.page_size = gdb.lookup_type("struct page").sizeof
        self.ext_base = int(val("page_ext_base"))
        self.ext_size = int(val("page_ext_size"))
        self.po_offset = int(val("page_owner_ops.offset"))
        zone = val("normal_zone")
        self.pb_mt = int(zone["pageblock_mt"])
        nr_pb = int(zone["nr_pageblocks"])
        self.pageblock_order = (self.nr // nr_pb).bit_length() - 1 if nr_pb else 9
        # struct page_owner's bitfields, from DWARF.
        t = gdb.lookup_type("struct page_owner")
        self.po_size = t.sizeof
        self.po_fields = {f.name: (f.bitpos, f.bitsize or 8 * f.type.sizeof) for f in t.fields()}
        # Names.
        # mm/debug.c's page_flag_names[]: (mask, value, name) up to a NULL name.
        self.flag_names = []
        names = val("page_flag_names")
        for i in range(64):
            if int(names[i]["name"]) == 0:
                break
            self.flag_names.append((int(names[i]["mask"]), int(names[i]["value"]),
                                    cstring(names[i]["name"])))
        self.block_flags = sum(1 << int(val(pg)) for pg in ("PG_head", "PG_buddy", "PG_pcp"))
        # A slab page names its cache: mm/slab.c's slab_map.caches[flags >> 20].
        self.slab_flag = 1 << int(val("PG_slab"))
        # include/ferret/mm_types.h's PAGE_FLAGS_USER_MASK: PG_slab, PG_large_kmalloc, the id bits.
        self.user_mask = self.slab_flag | (1 << int(val("PG_large_kmalloc"))) | 0xfff00000
        self.cache_names = {}
        self.mt_names = self._strings(val("migratetype_names"))
        self.gfp_names = [(int(e["mask"]), cstring(e["name"]))
                          for e in self._array(static("gfp.c", "gfp_names"))]
        nr_actx = int(static("page_owner.c", "nr_actx"))
        table = static("page_owner.c", "actx_table")
        self.actx = [(int(table[i]["gfp"]), int(table[i]["pid"]))
                     for i in range(min(nr_actx, ACTX_MAX))]
        nr_tasks = int(static("task_ctx.c", "nr_tasks"))
        tasks = val("task_ctx_table")
        self.tasks = [(int(tasks[i]["tgid"]), tasks[i]["comm"].string(encoding="latin-1"))
                      for i in range(nr_tasks)]
        # Stack depot.
        d = static("stackdepot.c", "default_depot")
        self.depot_pool = int(d["pool"])
        self.depot_used = int(d["used"])
        self.depot_text = int(d["text_base"])
        self.depot_full = int(val("&stack_depot_full"))
        self.stacks = {}

    @staticmethod
    def _array(v):
        lo, hi = v.type.range()
        return [v[i] for i in range(lo, hi + 1)]

    def _strings(self, v):
        return [cstring(p) for p in self._array(v)]

    # -- struct page, page_owner ------------------------------------------
    def page_flags(self, idx):
        return self.mem.u32(self.mem_map + idx * self.page_size)

    def owner(self, idx):
        raw = self.mem.read(self.ext_base + idx * self.ext_size + self.po_offset, self.po_size)
        word = int.from_bytes(raw, "little")
        return {k: (word >> pos) & ((1 << bits) - 1) for k, (pos, bits) in self.po_fields.items()}

    # -- formatting, as the kernel does it -----------------------------------
    def gfp_format(self, gfp):
        parts = []
        for mask, name in self.gfp_names:
            if not gfp:
                break
            if gfp & mask != mask:
                continue
            gfp &= ~mask
            parts.append(name)
        s = "|".join(parts)
        if gfp:
            s += ("|" if parts else "") + "0x%x" % gfp
        return s

    def mt_name(self, mt):
        return self.mt_names[mt] if 0 <= mt < len(self.mt_names) else "Unknown"

    @staticmethod
    def gfp_migratetype(gfp):
        mt = (gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT
        return 0 if mt == MIGRATE_PCPTYPES else mt

    def format_flags(self, flags):
        """page_flags_format(): the table's names, the order of a block head, unnamed bits."""
        parts = [n for mask, value, n in self.flag_names if flags & mask == value]
        known = 0
        for mask, _, _ in self.flag_names:
            known |= mask
        if flags & self.block_flags:
            known |= PAGE_ORDER_MASK
            parts.append("order=%u" % ((flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT))
        if flags & self.slab_flag:
            known |= self.user_mask
            parts.append("cache=%s" % self.cache_name(flags >> 20))
        if flags & ~known:
            parts.append("%#x" % (flags & ~known))
        return "|".join(parts)

    def cache_name(self, cid):
        """slab_cache_name_by_id(): the name of cache @cid, "?" if none."""
        if cid not in self.cache_names:
            name = "?"
            caches = val("slab_map")["caches"]
            if cid <= caches.type.range()[1] and int(caches[cid]):
                name = caches[cid].dereference()["name"].string()
            self.cache_names[cid] = name
        return self.cache_names[cid]

    def actx_get(self, i):
        return self.actx[i] if i < len(self.actx) else (0, -1)

    def task_of(self, pid):
        if 0 <= pid < len(self.tasks):
            return self.tasks[pid]
        return -1, "unknown"

    def stack(self, handle):
        s = self.stacks.get(handle)
        if s is not None:
            return s
        pcs = []
        if handle == DEPOT_HANDLE_FULL:
            pcs = [self.depot_full]
        elif DEPOT_FIRST_RECORD <= handle and handle + DEPOT_HDR_WORDS <= self.depot_used:
            rec = self.depot_pool + 4 * handle
            info = self.mem.u32(rec + 4)
            nr = info & DEPOT_INFO_NR_MASK
            wide = info & DEPOT_INFO_WIDE
            words = DEPOT_HDR_WORDS + (2 * nr if wide else nr)
            if nr and handle + words <= self.depot_used:
                body = self.mem.read(rec + 4 * DEPOT_HDR_WORDS, 4 * (words - DEPOT_HDR_WORDS))
                if wide:
                    pcs = list(struct.unpack("<%dQ" % nr, body))
                else:
                    pcs = [self.depot_text + o for o in struct.unpack("<%dI" % nr, body)]
        s = "".join(" %s\n" % self.sym.pS(pc) for pc in pcs)
        self.stacks[handle] = s
        return s

    @staticmethod
    def ts_us(po):
        """An allocated record's time: the 16-byte record's ts_us, or the 12-byte
        record's time code t (28-bit mantissa with a hidden bit, 4-bit exponent)."""
        if "ts_us" in po:
            return po["ts_us"]
        s = max((po["t"] >> 28) - 1, 0)
        return (po["t"] - (s << 28)) << s

    def record(self, pfn, po, flags, pb_mt):
        gfp, pid = self.actx_get(po["actx"])
        tgid, comm = self.task_of(pid)
        return ("Page allocated via order %u, mask 0x%x(%s), pid %d, tgid %d (%s), ts %u ns\n"
                "PFN 0x%x type %s Block %u type %s Flags 0x%x(%s)\n%s\n" % (
                    po["order"], gfp, self.gfp_format(gfp), pid, tgid, comm,
                    self.ts_us(po) * NSEC_PER_USEC,
                    pfn, self.mt_name(self.gfp_migratetype(gfp)), pfn >> self.pageblock_order,
                    self.mt_name(pb_mt), flags, self.format_flags(flags),
                    self.stack(po["handle"])))

    # -- the walk of page_owner_dump() ---------------------------------------
    def blocks(self):
        """(pfn, page_owner, page flags, pageblock migratetype) of every allocated block."""
        buddy, pcp = 1 << int(val("PG_buddy")), 1 << int(val("PG_pcp"))
        idx = 0
        while idx < self.nr:
            pfn = self.pfn_base + idx
            flags = self.page_flags(idx)
            if flags & (buddy | pcp):
                order = (flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT
                idx += (1 << order) if pfn % (1 << order) == 0 else 1
                continue
            po = self.owner(idx)
            if po["allocated"] and po["handle"] and pfn % (1 << po["order"]) == 0:
                mt = self.mem.read(self.pb_mt + (idx >> self.pageblock_order), 1)[0]
                yield pfn, po, flags, mt
                idx += 1 << po["order"]
                continue
            idx += 1


def parse_out(arg, cmd):
    argv = gdb.string_to_argv(arg)
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "-o":
        return argv[1]
    raise gdb.GdbError("usage: %s [-o FILE]" % cmd)


def emit(path, chunks):
    if path:
        with open(path, "w") as f:
            n = 0
            for c in chunks:
                f.write(c)
                n += 1
        gdb.write("ferret: %d records written to %s\n" % (n, path))
    else:
        for c in chunks:
            gdb.write(c)


class PageOwnerCommand(gdb.Command):
    """Print every allocated block as the console's `page_owner` does: ferret-page-owner [-o FILE]"""

    def __init__(self):
        super().__init__("ferret-page-owner", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        out = parse_out(arg, "ferret-page-owner")
        k = Kernel()
        emit(out, (k.record(*b) for b in k.blocks()))


class PageOwnerStacksCommand(gdb.Command):
    """Print stacks holding pages as `page_owner_stacks` does: ferret-page-owner-stacks [-o FILE]"""

    def __init__(self):
        super().__init__("ferret-page-owner-stacks", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        out = parse_out(arg, "ferret-page-owner-stacks")
        k = Kernel()

        def entries():
            # As page_owner_show_stacks(): base pages summed per stack from
            # mem_map, stacks in depot order (handle 1, "depot full", first).
            pages = {}
            for pfn, po, flags, mt in k.blocks():
                pages[po["handle"]] = pages.get(po["handle"], 0) + (1 << po["order"])
            for h in sorted(pages):
                if 1 <= pages[h] < 1 << 31:
                    yield "%snr_base_pages: %d\n\n" % (k.stack(h), pages[h])
        emit(out, entries())


def slab_objects(k):
    """(handle, pid, bytes asked for) of every live object of every tracked slab."""
    head = 1 << int(val("PG_head"))
    virt = int(val("mm_virt_offset"))
    caches = val("slab_map")["caches"]
    ncache = caches.type.range()[1] + 1
    info = {}
    idx = 0
    while idx < k.nr:
        flags = k.page_flags(idx)
        if not (flags & k.slab_flag and flags & head):
            idx += 1
            continue
        order = (flags & PAGE_ORDER_MASK) >> PAGE_ORDER_SHIFT
        cid = flags >> PAGE_SLAB_ID_SHIFT
        if cid not in info:
            c = caches[cid] if cid < ncache else None
            c = c.dereference() if c is not None and int(c) else None
            info[cid] = c and (int(c["owner_offset"]), int(c["objects"]), int(c["object_size"]))
        if info[cid] and info[cid][0]:
            off, nobj, osize = info[cid]
            base = ((k.pfn_base + idx) << 12) + virt
            recs = k.mem.read(base + off, 16 * nobj)
            for i in range(nobj):
                w0 = struct.unpack_from("<Q", recs, 16 * i)[0]
                if w0 & SO_LIVE and w0 & SO_HANDLE_MASK:
                    waste = (w0 >> SO_WASTE_SHIFT) & SO_WASTE_MASK
                    yield (w0 & SO_HANDLE_MASK, (w0 >> SO_PID_SHIFT) & SO_PID_MASK,
                           osize - waste)
        idx += 1 << order


class SlabOwnersCommand(gdb.Command):
    """Live objects per allocation stack, as `leaks` counts them: ferret-slab-owners [-o FILE]"""

    def __init__(self):
        super().__init__("ferret-slab-owners", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        out = parse_out(arg, "ferret-slab-owners")
        k = Kernel()

        def entries():
            per = {}
            for handle, pid, size in slab_objects(k):
                b, n = per.get((handle, pid), (0, 0))
                per[(handle, pid)] = (b + size, n + 1)
            order = sorted(per.items(), key=lambda e: (-e[1][0], e[0]))
            for (handle, pid), (b, n) in order:
                yield "%d bytes in %d objects from %s\n%s\n" % (b, n, k.task_of(pid)[1],
                                                                 k.stack(handle))
            yield "%d stack%s, %d bytes in %d objects\n" % (
                len(per), "" if len(per) == 1 else "s", sum(v[0] for v in per.values()),
                sum(v[1] for v in per.values()))
        emit(out, entries())


class CheckSymbolsCommand(gdb.Command):
    """Compare the ELF's symbols with the running kernel's kallsyms: ferret-check-symbols"""

    def __init__(self):
        super().__init__("ferret-check-symbols", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        sym = Symbolizer()
        if not sym.elf:
            raise gdb.GdbError("ferret: no readable ELF (load it with `file`)")
        mem = Memory()
        n = mem.u32(int(val("&kallsyms_num")))
        offs = int(val("&kallsyms_offsets"))
        sizes = int(val("&kallsyms_sizes"))
        name_offs = int(val("&kallsyms_name_offsets"))
        names = int(val("&kallsyms_names"))
        text = int(val("&_text"))
        bad = 0
        for i in range(n):
            addr = text + mem.u32(offs + 4 * i)
            size = mem.u32(sizes + 4 * i)
            p = names + mem.u32(name_offs + 4 * i)
            name = b""
            while True:
                c = mem.read(p + len(name), 1)
                if c == b"\0":
                    break
                name += c
            want = (name.decode("latin-1"), 0, size)
            if sym.elf.etext and addr >= sym.elf.etext:
                want = None           # _etext: kallsyms_lookup() stops before it
            got = sym.elf.lookup(addr)
            if got != want:
                bad += 1
                if bad <= 10:
                    gdb.write("ferret: 0x%x: kallsyms %s/0x%x, ELF %s\n" % (addr, want[0], size, got))
        gdb.write("ferret: %d kallsyms symbols checked, %d differ\n" % (n, bad))
        if bad:
            raise gdb.GdbError("ferret: the ELF does not match the running kernel's symbols")


PageOwnerCommand()
PageOwnerStacksCommand()
SlabOwnersCommand()
CheckSymbolsCommand()
