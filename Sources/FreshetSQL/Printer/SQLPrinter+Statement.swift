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
        case .alterStream(let alter): write(alter)
        case .createPump(let create): write(create)
        case .alterPump(let alter):
            output += "ALTER PUMP "
            write(alter.name)
            output += " " + alter.action.rawValue
        case .update(let update): write(update)
        case .delete(let delete): write(delete)
        case .createDeliveryStream(let create): write(create)
        case .alterDeliveryStream(let alter):
            output += "ALTER DELIVERY STREAM "
            write(alter.name)
            output += " SET "
            writeOptions(alter.options, equals: true)
        case .createVideoStream(let create):
            output += "CREATE VIDEO STREAM "
            if create.ifNotExists { output += "IF NOT EXISTS " }
            write(create.name)
            if !create.options.isEmpty {
                output += " WITH "
                writeOptions(create.options, equals: true)
            }
        case .declareCursor(let declare): write(declare)
        case .fetch(let fetch): write(fetch)
        case .closeCursor(let name):
            output += "CLOSE "
            if let name { write(name) } else { output += "ALL" }
        case .createFunction(let create): write(create)
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

/// Pumps, ALTER STREAM, UPDATE/DELETE, delivery streams, cursors, functions.
extension SQLPrinter {
    mutating func write(_ create: CreatePump) {
        output += create.orReplace ? "CREATE OR REPLACE PUMP " : "CREATE PUMP "
        write(create.name)
        if create.stopped { output += " STOPPED" }
        output += " AS "
        write(create.insert)
    }

    mutating func write(_ alter: AlterStream) {
        output += "ALTER STREAM "
        write(alter.name)
        switch alter.action {
        case .setOptions(let options):
            output += " SET "
            writeOptions(options, equals: true)
        case .splitShard(let shard, let hashKey):
            output += " SPLIT SHARD "
            writeString(shard)
            output += " AT "
            writeString(hashKey)
        case .mergeShards(let first, let second):
            output += " MERGE SHARDS "
            writeString(first)
            output += ", "
            writeString(second)
        }
    }

    mutating func write(_ update: Update) {
        output += "UPDATE "
        write(update.target)
        if let alias = update.alias {
            output += " AS "
            write(alias)
        }
        output += " SET "
        for (i, assignment) in update.assignments.enumerated() {
            if i > 0 { output += ", " }
            write(assignment.column)
            output += " = "
            write(assignment.value)
        }
        writeWhereAndReturning(update.whereClause, update.returning)
    }

    mutating func write(_ delete: Delete) {
        output += "DELETE FROM "
        write(delete.target)
        if let alias = delete.alias {
            output += " AS "
            write(alias)
        }
        writeWhereAndReturning(delete.whereClause, delete.returning)
    }

    private mutating func writeWhereAndReturning(_ whereClause: Expression?, _ returning: [SelectItem]) {
        if let whereClause {
            output += " WHERE "
            write(whereClause)
        }
        if !returning.isEmpty {
            output += " RETURNING "
            write(returning)
        }
    }

    mutating func write(_ create: CreateDeliveryStream) {
        output += "CREATE DELIVERY STREAM "
        if create.ifNotExists { output += "IF NOT EXISTS " }
        write(create.name)
        switch create.source {
        case .stream(let name):
            output += " FROM "
            write(name)
        case .query(let query):
            output += " AS "
            write(query)
        case .direct(let columns):
            output += " ("
            for (i, column) in columns.enumerated() {
                if i > 0 { output += ", " }
                write(column)
            }
            output += ")"
        }
        output += " TO " + create.destination.kind.rawValue
        if !create.destination.options.isEmpty {
            output += " "
            writeOptions(create.destination.options, equals: true)
        }
        if !create.options.isEmpty {
            output += " WITH "
            writeOptions(create.options, equals: true)
        }
    }

    mutating func write(_ declare: DeclareCursor) {
        output += "DECLARE "
        write(declare.name)
        if declare.binary { output += " BINARY" }
        switch declare.scroll {
        case true?: output += " SCROLL"
        case false?: output += " NO SCROLL"
        case nil: break
        }
        output += " CURSOR"
        if declare.withHold { output += " WITH HOLD" }
        output += " FOR "
        write(declare.query)
    }

    mutating func write(_ fetch: Fetch) {
        output += "FETCH FORWARD "
        switch fetch.count {
        case .rows(let rows): output += String(rows)
        case .all: output += "ALL"
        }
        output += " FROM "
        write(fetch.cursor)
        if !fetch.options.isEmpty {
            output += " WITH "
            writeOptions(fetch.options, equals: true)
        }
    }

    mutating func write(_ create: CreateFunction) {
        output += create.orReplace ? "CREATE OR REPLACE FUNCTION " : "CREATE FUNCTION "
        write(create.name)
        output += "("
        for (i, parameter) in create.parameters.enumerated() {
            if i > 0 { output += ", " }
            write(parameter.name)
            output += " "
            write(parameter.type)
        }
        output += ") RETURNS "
        write(create.returnType)
        output += " RETURN "
        write(create.body)
    }
}
