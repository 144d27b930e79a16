// `tensorpad kernel`: the Jupyter kernel and its kernelspec. Parsing only;
// the protocol lives in the Kernel module.
import ArgumentParser
import Kernel
#if canImport(Glibc)
import Glibc
#endif

struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "A Jupyter kernel (JupyterLab, VS Code, jupyter console, nbclient); install, list or remove its kernelspec.",
        usage: """
        tensorpad kernel -f <CONNECTION_FILE>
        tensorpad kernel install [--user | --prefix <DIR>] [--name <NAME>]
        tensorpad kernel list
        tensorpad kernel remove [--user | --prefix <DIR>] [--name <NAME>]
        """,
        discussion: "Jupyter starts `tensorpad kernel -f CONNECTION_FILE` itself once the kernelspec is installed.",
        subcommands: [Install.self, List.self, Remove.self])

    @Option(name: .customShort("f"), help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "CONNECTION_FILE"))
    var connectionFile: String?

    func run() throws {
        guard let connectionFile else {
            fputs("tensorpad kernel: give the connection file with -f, or a subcommand (install, list, remove); see 'tensorpad kernel --help'\n", stderr)
            throw ExitCode(2)
        }
        let server: KernelServer
        do { server = try KernelServer(connectionFile: connectionFile, version: version) } catch {
            fputs("tensorpad kernel: \(error)\n", stderr)
            throw ExitCode(2)
        }
        throw ExitCode(server.run())
    }

    struct Where: ParsableArguments {
        @Flag(help: "The per-user Jupyter data directory (~/.local/share/jupyter).") var user = false
        @Option(help: ArgumentHelp("Under DIR/share/jupyter (a virtual env or conda prefix).", valueName: "DIR")) var prefix: String?
        @Option(help: "The kernelspec's name.") var name = "tensorpad"

        func validate() throws {
            if user && prefix != nil { throw ValidationError("--user and --prefix cannot be used together") }
        }
        var location: KernelSpec.Location? {
            if user { return .user }
            if let prefix { return .prefix(prefix) }
            return nil
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write the kernelspec (system-wide unless --user or --prefix).")
        @OptionGroup var place: Where

        func run() throws {
            do {
                let dir = try KernelSpec.install(binary: KernelSpec.currentBinary, location: place.location ?? .system, name: place.name)
                print("Installed kernelspec \(place.name) in \(dir)")
            } catch {
                fputs("tensorpad kernel install: \(error)\n", stderr)
                throw ExitCode(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The Tensorpad kernelspecs Jupyter finds.")

        func run() throws {
            let specs = KernelSpec.list()
            if specs.isEmpty {
                print("No Tensorpad kernelspec installed (tensorpad kernel install --user).")
                return
            }
            let width = specs.map(\.name.count).max() ?? 0
            print("Tensorpad kernelspecs:")
            for s in specs {
                print("  \(s.name.padding(toLength: width, withPad: " ", startingAt: 0))    \(s.directory)    (\(s.binary))")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a Tensorpad kernelspec (the first Jupyter finds, unless --user or --prefix).")
        @OptionGroup var place: Where

        func run() throws {
            do {
                print("Removed \(try KernelSpec.remove(name: place.name, location: place.location))")
            } catch {
                fputs("tensorpad kernel remove: \(error)\n", stderr)
                throw ExitCode(1)
            }
        }
    }
}
