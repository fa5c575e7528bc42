import ArgumentParser

/// `freshet`: the command line of the Freshet streaming database.
@main
struct Freshet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshet",
        abstract: "Freshet, a SQL-first streaming database that speaks the PostgreSQL protocol.",
        discussion: """
        Start a server with `freshet serve`, then connect with `psql -h 127.0.0.1 -p 5488`.
        """,
        subcommands: [Serve.self, Shell.self, Version.self, BenchExpr.self]
    )
}
