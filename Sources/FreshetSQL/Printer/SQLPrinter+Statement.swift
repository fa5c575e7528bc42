/// Statements: DDL, INSERT, COPY, session and transaction statements, EXPLAIN.
extension SQLPrinter {
    mutating func write(_ statement: Statement) {
        switch statement.kind {
        case .query(let query): write(query)
        case .createStream(let create): write(create)
        case .createTable(let create): write(create)
        case .drop(let drop): write(drop)
        case .insert(let insert): write(insert)
        case .copy(let copy): write(copy)
        case .set(let set): write(set)
        case .show(let show):
            output += "SHOW "
            if let name = show.name { write(name, mode: .label) } else { output += "ALL" }
        case .reset(let name):
            output += "RESET "
            if let name { write(name, mode: .label) } else { output += "ALL" }
        case .transaction(let transaction):
            switch transaction {
            case .begin: output += "BEGIN"
            case .commit: output += "COMMIT"
            case .rollback: output += "ROLLBACK"
            }
        case .explain(let inner, let analyze):
            output += analyze ? "EXPLAIN ANALYZE " : "EXPLAIN "
            write(inner)
        }
    }

    mutating func write(_ create: CreateStream) {
        output += create.orReplace ? "CREATE OR REPLACE STREAM " : "CREATE STREAM "
        if create.ifNotExists { output += "IF NOT EXISTS " }
        write(create.name)
        if !create.columns.isEmpty || create.watermark != nil {
            output += " ("
            for (i, column) in create.columns.enumerated() {
                if i > 0 { output += ", " }
                write(column)
            }
            if let watermark = create.watermark {
                if !create.columns.isEmpty { output += ", " }
                output += "WATERMARK FOR "
                write(watermark.column)
                output += " AS "
                write(watermark.expression)
            }
            output += ")"
        }
        if !create.options.isEmpty {
            output += " WITH "
            writeOptions(create.options, equals: true)
        }
        if let description = create.description {
            output += " DESCRIPTION "
            writeString(description)
        }
    }

    mutating func write(_ column: ColumnDefinition) {
        write(column.name)
        output += " "
        write(column.type)
        if column.notNull { output += " NOT NULL" }
    }

    mutating func write(_ create: CreateTable) {
        output += "CREATE TABLE "
        if create.ifNotExists { output += "IF NOT EXISTS " }
        write(create.name)
        output += " ("
        for (i, column) in create.columns.enumerated() {
            if i > 0 { output += ", " }
            write(column)
        }
        if !create.primaryKey.isEmpty {
            if !create.columns.isEmpty { output += ", " }
            output += "PRIMARY KEY "
            writeList(create.primaryKey)
        }
        output += ")"
    }

    mutating func write(_ drop: Drop) {
        output += "DROP " + drop.objectKind.rawValue + " "
        if drop.ifExists { output += "IF EXISTS " }
        for (i, name) in drop.names.enumerated() {
            if i > 0 { output += ", " }
            write(name)
        }
    }

    mutating func write(_ insert: Insert) {
        output += "INSERT INTO "
        write(insert.target)
        if !insert.columns.isEmpty {
            output += " "
            writeList(insert.columns)
        }
        output += " "
        write(insert.source)
        if !insert.returning.isEmpty {
            output += " RETURNING "
            write(insert.returning)
        }
    }

    mutating func write(_ copy: Copy) {
        output += "COPY "
        switch copy.source {
        case .table(let name, let columns):
            write(name)
            if !columns.isEmpty {
                output += " "
                writeList(columns)
            }
        case .query(let query):
            output += "("
            write(query)
            output += ")"
        }
        output += " " + copy.direction.rawValue + " "
        switch copy.endpoint {
        case .stdin: output += "STDIN"
        case .stdout: output += "STDOUT"
        case .file(let path): writeString(path)
        }
        if !copy.options.isEmpty {
            output += " WITH "
            writeOptions(copy.options, equals: false)
        }
    }

    mutating func write(_ set: SetVariable) {
        output += set.local ? "SET LOCAL " : "SET "
        write(set.name, mode: .label)
        output += " TO "
        if set.isDefault || set.values.isEmpty {
            output += "DEFAULT"
            return
        }
        for (i, value) in set.values.enumerated() {
            if i > 0 { output += ", " }
            write(value)
        }
    }
}
