"""What every gen_*.py script shares: Swift string literals, and test methods for programs
(expected stdout from the Python that runs the script) and for errors (expected last line)."""
import subprocess, sys


def swift_str(s):
    """`s` as a Swift multi-line string literal; control characters (NUL, DEL, C1) as Swift
    escapes, so the generated file stays printable."""
    s = s.replace('\\', '\\\\').replace('"""', '\\"""')
    s = ''.join(f'\\u{{{ord(c):x}}}' if (ord(c) < 0x20 and c not in '\n\t') or 0x7f <= ord(c) <= 0x9f else c for c in s)
    return '"""\n' + s + '\n"""'


def run(src, **kw):
    return subprocess.run([sys.executable, '-c', src], capture_output=True, text=True, **kw)


def program_test(out, name, src, stdout, check='XCTAssertEqual(try runProgram(source), expected + "\\n")'):
    """Appends `test_<name>`: `source` run by Tensorpad prints `stdout` (checked by `check`)."""
    out.append(f'    func test_{name}() throws {{')
    out.append(f'        let source = {swift_str(src.strip(chr(10)))}')
    out.append(f'        let expected = {swift_str(stdout[:-1])}')
    out.append(f'        {check}')
    out.append('    }')
    out.append('')


def program_tests(out, programs, prelude='', **kw):
    """A `program_test` for each program, its expected text printed by this Python."""
    for name, src in programs.items():
        r = run(prelude + src, **kw)
        assert r.returncode == 0, (name, r.stderr)
        program_test(out, name, src, r.stdout)


def error_test(out, name, src, msg):
    """Appends `test_error_<name>`: `source`'s error ends with the line(s) `msg`."""
    out.append(f'    func test_error_{name}() {{')
    out.append(f'        XCTAssertEqual(errorLine({swift_str(src)}), {swift_str(msg)})')
    out.append('    }')
    out.append('')
