import ArgumentParser

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print Freshet's version.")
    static let current = "0.1.0"
    func run() {
        print("freshet \(Version.current)")
    }
}
