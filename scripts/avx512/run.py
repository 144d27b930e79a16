"""Runs driver.c's freestanding program in BochsCPU (an x86-64 emulator whose CPU has AVX-512) and
checks what it reports: the CPU's AVX-512F seen by Tensorpad's cpuid code, and every case's
AVX-512F and AVX2 builds matching the definition. Usage: run.py DRIVER_ELF. Exit 0 when all pass."""
import struct
import sys

import bochscpu
import bochscpu.cpu
import bochscpu.memory

PAGE = bochscpu.memory.page_size()
KERNELS = {0: "spatial", 1: "row Winograd", 2: "channels", 3: "Winograd products"}
FEATURES = [(1, "SSE3"), (2, "AVX"), (4, "AVX2"), (8, "FMA"), (16, "AVX-512F"), (32, "AVX-512BW"),
            (64, "AVX-512VL"), (128, "AVX-512DQ"), (256, "AVX-512CD")]


def elf_image(path):
    """The ELF64 executable's entry, its loadable segments (address, bytes in memory, executable)
    and its symbols' addresses (from .symtab)."""
    data = open(path, "rb").read()
    assert data[:4] == b"\x7fELF" and data[4] == 2, "not an ELF64 file"
    entry, phoff, shoff = struct.unpack_from("<QQQ", data, 24)
    phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", data, 54)
    segments = []
    for i in range(phnum):
        p_type, flags, off, vaddr, _, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:  # PT_LOAD
            segments.append((vaddr, data[off:off + filesz] + bytes(memsz - filesz), bool(flags & 1)))
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    symbols = {}
    for s in sections:
        if s[1] == 2:  # SHT_SYMTAB
            strtab = sections[s[6]]
            for j in range(s[5] // 24):
                name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, s[4] + j * 24)
                end = data.index(b"\0", strtab[4] + name)
                symbols[data[strtab[4] + name:end].decode()] = value
    return entry, segments, symbols


def main():
    entry, segments, symbols = elf_image(sys.argv[1])
    sess = bochscpu.Session()

    def missing_page(gpa):
        raise RuntimeError(f"the program touched unmapped memory at {gpa:#x}")

    sess.missing_page_handler = missing_page
    table = bochscpu.memory.PageMapLevel4Table()
    pages = {}  # page address → executable (identity-mapped: guest virtual = guest physical)
    for vaddr, blob, execute in segments:
        for page in range(vaddr & ~(PAGE - 1), vaddr + len(blob), PAGE):
            pages[page] = pages.get(page, False) or execute
    stack_top = 0x4000_0000
    for page in range(stack_top - 64 * PAGE, stack_top, PAGE):
        pages[page] = False
    hosts = []
    for page, execute in sorted(pages.items()):
        hva = bochscpu.memory.allocate_host_page()
        hosts.append(hva)
        bochscpu.memory.page_insert(page, hva)
        table.insert(page, page, 0 if execute else 1)
    pml4 = 0x10_0000
    for hva, gpa in table.commit(pml4):
        bochscpu.memory.page_insert(gpa, hva)
    zeros = [0] * PAGE
    for page in pages:
        assert bochscpu.memory.virt_write(pml4, page, zeros)
    for vaddr, blob, _ in segments:
        assert bochscpu.memory.virt_write(pml4, vaddr, list(blob))

    state = bochscpu.State()
    bochscpu.cpu.set_long_mode(state)
    state.cr3 = pml4
    state.cr0 = (state.cr0 | (1 << 1) | (1 << 5)) & ~((1 << 2) | (1 << 3))  # MP, NE; no EM, TS
    state.cr4 = state.cr4 | (1 << 9) | (1 << 10) | (1 << 18)  # OSFXSR, OSXMMEXCPT, OSXSAVE
    state.xcr0 = 0xE7  # x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM: the state an OS enables for AVX-512
    state.mxcsr = 0x1F80
    state.fpcw = 0x37F
    state.rsp = stack_top - 64
    state.rip = entry
    cs = bochscpu.Segment()
    # Ring 0 (the program ends with hlt): 64-bit code, and flat data.
    cs.present, cs.selector, cs.base, cs.limit, cs.attr = True, 0x10, 0, 0xFFFF_FFFF, 0x209B
    ds = bochscpu.Segment()
    ds.present, ds.selector, ds.base, ds.limit, ds.attr = True, 0x18, 0, 0xFFFF_FFFF, 0xC093
    state.cs = cs
    state.ds = state.ss = state.es = state.fs = state.gs = ds
    sess.cpu.state = state

    stopped = {}

    def on_hlt(s, cpu):
        stopped["hlt"] = True
        s.stop()

    def on_exception(s, cpu, vector, code):
        stopped["exception"] = (vector, code, s.cpu.state.rip)
        s.stop()

    hook = bochscpu.Hook()
    hook.hlt = on_hlt
    hook.exception = on_exception
    sess.run([hook])
    if "exception" in stopped:
        vector, code, rip = stopped["exception"]
        print(f"FAIL: exception {vector} (error code {code}) at rip {rip:#x}")
        return 1

    # The AVX-512F builds use zmm16–31, which no AVX2 (VEX) instruction can write: they must hold
    # something after the run.
    zmm_high = sum(any(z.q) for z in sess.cpu.state.zmm[16:])
    raw = bytes(bochscpu.memory.virt_read(pml4, symbols["tp_report"], 16 + 16 * 16 + 4))
    magic, features, wide, cases = struct.unpack_from("<IIII", raw, 0)
    done = struct.unpack_from("<I", raw, 16 + 16 * 16)[0]
    if magic != 0x54504158 or not done:
        print("FAIL: the program did not finish")
        return 1
    names = " ".join(n for bit, n in FEATURES if features & bit)
    print(f"emulated CPU (BochsCPU): {names}")
    failures = 0
    if not features & 16 or not wide:
        print("FAIL: the wide kernels' AVX-512F builds did not run: no AVX-512F seen")
        failures += 1
    elif not zmm_high:
        print("FAIL: zmm16–31 were never written: no AVX-512F instruction ran")
        failures += 1
    else:
        print(f"AVX-512F builds ran: {zmm_high} of zmm16–31 written")
    for i in range(cases):
        kernel, outputs, err512, err2 = struct.unpack_from("<iiff", raw, 16 + 16 * i)
        ok = err512 <= 1e-5 and err2 <= 1e-5
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} case {i}: {KERNELS[kernel]:17} {outputs:6} outputs; largest error "
              f"AVX-512F {err512:.2e}, AVX2 {err2:.2e} (of the output's largest magnitude)")
    print(f"{cases - failures if failures <= cases else 0} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
