// Child processes for start-up, peak-memory and interpreter rows: spawned with
// posix_spawn and reaped with wait4, so each child's own ru_maxrss is read.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ChildRun {
    var seconds: Double
    /// User + system CPU time of the child.
    var cpuSeconds: Double
    var maxRSSKiB: Int
    var status: Int32
    var stdout: String
}

/// Runs `argv` (argv[0] looked up on PATH), capturing stdout; stderr is discarded.
func runChild(_ argv: [String], environment: [String: String] = [:]) -> ChildRun? {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
    var pid: pid_t = 0
    let t0 = DispatchTime.now().uptimeNanoseconds
    guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0 else {
        close(fds[0]); close(fds[1]); return nil
    }
    close(fds[1])
    var out = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fds[0], &buf, buf.count)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    close(fds[0])
    var status: Int32 = 0
    var usage = rusage()
    guard wait4(pid, &status, 0, &usage) == pid else { return nil }
    let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return ChildRun(seconds: t, cpuSeconds: cpu, maxRSSKiB: usage.ru_maxrss, status: exit,
                    stdout: String(decoding: out, as: UTF8.self))
}

/// Medians of `runs` child runs after one warm-up: (seconds, peak MiB), nil when any run fails.
func medianChild(_ argv: [String], runs: Int = 5, environment: [String: String] = [:]) -> (Double, Double, String)? {
    guard runChild(argv, environment: environment)?.status == 0 else { return nil }
    var ts: [Double] = [], mem: [Double] = [], last = ""
    for _ in 0..<runs {
        guard let r = runChild(argv, environment: environment), r.status == 0 else { return nil }
        ts.append(r.seconds); mem.append(Double(r.maxRSSKiB) / 1024); last = r.stdout
    }
    return (ts.sorted()[runs / 2], mem.sorted()[runs / 2], last)
}

/// This process's resident size now (VmRSS), in MiB.
func residentMiB() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}
