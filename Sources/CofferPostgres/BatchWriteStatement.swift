import CofferCore
import CofferStore
import Foundation
import PostgresNIO

/// A batch's group changes and audit entries as one statement with one prepared plan: groups inserted, updated and
/// deleted, versions recorded, entries appended with each project's next revisions, the chain's head moved on, and each change
/// announced to the other replicas (`pg_notify`, delivered on commit only). Every kind of row travels as arrays of
/// columns (`unnest`), so the text is the same for one write or a hundred; any part may be empty.
///
/// Revisions are numbered here, in SQL, rather than read first: the statement runs after the transaction locked the
/// head, so its snapshot holds every entry committed before, and no other transaction can number after it until this
/// one commits. Each entry carries its place among the batch's entries of its project (`revision_offset`). PostgreSQL
/// runs the parts of one statement on one snapshot in no set order, so no row may be changed twice in one statement
/// (`BatchWriteStatement.Rows.add` refuses a second change to a row).
///
/// The plan is made once per connection (`plan_cache_mode`), so no part may leave finding a group to a join the planner
/// picks: with the table small at planning time, it picked a hash join over a whole scan of `secret_group` and kept it,
/// scanning every page of the grown table on each batch, under the head's lock. Updates go through the primary key as
/// an upsert (the rule decided them on rows this transaction read, so each finds its row). Deletes keep the join: its
/// hash table is built from the deleted keys, so a batch that deletes nothing reads one row of the table, and one that
/// deletes may scan it (a rare write; the ways around it left the plan to the planner again, or scanned every time).
struct BatchWriteStatement: PostgresPreparedStatement {
    static let sql = """
        WITH inserted_groups AS (
            INSERT INTO secret_group (team_id, project_id, id, name, description, type, secret_type, priority, tags, stage_id,
                restrictions, addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version, created_at,
                updated_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bytea[], $15::bigint[], $16::bigint[],
                $17::bigint[], $18::bigint[])
        ), updated_groups AS (
            INSERT INTO secret_group AS g (team_id, project_id, id, name, description, type, secret_type, priority, tags, stage_id,
                restrictions, addon_dependencies, external_addon_dependencies, sealed_values, data_key_generation, version, created_at,
                updated_at)
            SELECT * FROM unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[],
                $26::bigint[], $27::text[], $28::text[], $29::text[], $30::text[], $31::text[], $32::bytea[], $33::bigint[],
                $34::bigint[], $35::bigint[], $36::bigint[])
            ON CONFLICT (team_id, project_id, id) DO UPDATE SET name = excluded.name, description = excluded.description,
                type = excluded.type, secret_type = excluded.secret_type, priority = excluded.priority, tags = excluded.tags,
                stage_id = excluded.stage_id, restrictions = excluded.restrictions, addon_dependencies = excluded.addon_dependencies,
                external_addon_dependencies = excluded.external_addon_dependencies, sealed_values = excluded.sealed_values,
                data_key_generation = excluded.data_key_generation, version = excluded.version, created_at = excluded.created_at,
                updated_at = excluded.updated_at
        ), deleted_groups AS (
            DELETE FROM secret_group g USING unnest($80::text[], $81::text[], $82::text[]) AS d(team_id, project_id, id)
            WHERE g.team_id = d.team_id AND g.project_id = d.project_id AND g.id = d.id
        ), inserted_versions AS (
            INSERT INTO group_version (team_id, project_id, group_id, version, action, at, actor, changed_keys, changed_fields, name,
                description, type, secret_type, priority, tags, stage_id, restrictions, addon_dependencies, external_addon_dependencies,
                sealed_values, data_key_generation, created_at, updated_at)
            SELECT * FROM unnest($37::text[], $38::text[], $39::text[], $40::bigint[], $41::text[], $42::bigint[], $43::text[],
                $44::text[], $45::text[], $46::text[], $47::text[], $48::text[], $49::text[], $50::bigint[], $51::text[], $52::text[],
                $53::text[], $54::text[], $55::text[], $56::bytea[], $57::bigint[], $58::bigint[], $59::bigint[])
        ), inserted_entries AS (
            INSERT INTO audit_entry (sequence, at, team_id, project_id, actor, action, resource_type, resource_id, changed_keys,
                changed_fields, version, revision, route, request_id, previous_hash, hash)
            SELECT e.sequence, e.at, e.team_id, e.project_id, e.actor, e.action, e.resource_type, e.resource_id, e.changed_keys,
                e.changed_fields, e.version,
                (SELECT coalesce(max(a.revision), 0) FROM audit_entry a WHERE a.team_id = e.team_id AND a.project_id = e.project_id)
                    + e.revision_offset,
                e.route, e.request_id, e.previous_hash, e.hash
            FROM unnest($60::bigint[], $61::bigint[], $62::text[], $63::text[], $64::text[], $65::text[], $66::text[], $67::text[],
                $68::text[], $69::text[], $70::bigint[], $71::bigint[], $72::text[], $73::text[], $74::bytea[], $75::bytea[])
                AS e(sequence, at, team_id, project_id, actor, action, resource_type, resource_id, changed_keys, changed_fields,
                    version, revision_offset, route, request_id, previous_hash, hash)
            RETURNING sequence, revision
        ), head AS (
            UPDATE audit_head SET sequence = $76::bigint, hash = $77::bytea WHERE id = 1 AND $76::bigint IS NOT NULL
        )
        SELECT i.sequence, i.revision, pg_notify($78::text, n.change) IS NULL AS announced
        FROM inserted_entries i JOIN unnest($60::bigint[], $79::text[]) AS n(sequence, change) ON n.sequence = i.sequence
        """

    static var bindingDataTypes: [PostgresDataType] {
        func columns(_ types: String) -> [PostgresDataType] {
            types.map { $0 == "t" ? .textArray : $0 == "i" ? .int8Array : .byteaArray }
        }
        let group = columns("tttttttitttttbiiii")
        return group + group + columns("tttititttttttitttttbiii") + columns("iittttttttiittbb") + [.int8, .bytea, .text, .textArray]
            + columns("ttt")
    }

    typealias Row = (sequence: Int64, revision: Int64?)

    var rows: Rows
    /// The audit entries, linked into the chain; their revisions are numbered by the statement.
    var entries: [AuditEntry]
    /// Each entry's announcement (`StoreChange` JSON).
    var announcements: [String]
    var channel: String

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 82)
        Self.appendGroups(rows.insertedGroups, to: &binds)
        Self.appendGroups(rows.updatedGroups, to: &binds)
        let versions = rows.versions
        binds.append(ColumnArray.text(versions.map(\.scope.teamId)))
        binds.append(ColumnArray.text(versions.map(\.scope.projectId)))
        binds.append(ColumnArray.text(versions.map(\.groupId)))
        binds.append(ColumnArray.bigint(versions.map(\.version)))
        binds.append(ColumnArray.text(versions.map(\.action)))
        binds.append(ColumnArray.bigint(versions.map(\.at)))
        binds.append(ColumnArray.text(versions.map(\.actor)))
        binds.append(ColumnArray.text(versions.map(\.changedKeys)))
        binds.append(ColumnArray.text(versions.map(\.changedFields)))
        binds.append(ColumnArray.text(versions.map(\.group?.name)))
        binds.append(ColumnArray.text(versions.map(\.group?.description)))
        binds.append(ColumnArray.text(versions.map(\.group?.type)))
        binds.append(ColumnArray.text(versions.map(\.group?.secretType)))
        binds.append(ColumnArray.bigint(versions.map(\.group?.priority)))
        binds.append(ColumnArray.text(versions.map(\.group?.tags)))
        binds.append(ColumnArray.text(versions.map(\.group?.stageId)))
        binds.append(ColumnArray.text(versions.map(\.group?.restrictions)))
        binds.append(ColumnArray.text(versions.map(\.group?.addonDependencies)))
        binds.append(ColumnArray.text(versions.map(\.group?.externalAddonDependencies)))
        binds.append(ColumnArray.bytea(versions.map(\.group?.sealedValues)))
        binds.append(ColumnArray.bigint(versions.map(\.group?.dataKeyGeneration)))
        binds.append(ColumnArray.bigint(versions.map(\.group?.createdAt)))
        binds.append(ColumnArray.bigint(versions.map(\.group?.updatedAt)))
        binds.append(ColumnArray.bigint(entries.map(\.sequence)))
        binds.append(ColumnArray.bigint(entries.map(\.at.millisecondsSinceEpoch)))
        binds.append(ColumnArray.text(entries.map(\.teamId)))
        binds.append(ColumnArray.text(entries.map(\.projectId)))
        binds.append(ColumnArray.text(entries.map(\.actor)))
        binds.append(ColumnArray.text(entries.map(\.action.rawValue)))
        binds.append(ColumnArray.text(entries.map(\.resourceType.rawValue)))
        binds.append(ColumnArray.text(entries.map(\.resourceId)))
        binds.append(ColumnArray.text(try entries.map { try StoredPayload.encode($0.changedKeys) }))
        binds.append(ColumnArray.text(try entries.map { try StoredPayload.encode($0.changedFields) }))
        binds.append(ColumnArray.bigint(entries.map { $0.version.map(Int64.init) }))
        binds.append(ColumnArray.bigint(Self.revisionOffsets(of: entries)))
        binds.append(ColumnArray.text(entries.map(\.route)))
        binds.append(ColumnArray.text(entries.map(\.requestId)))
        binds.append(ColumnArray.bytea(entries.map(\.previousHash)))
        binds.append(ColumnArray.bytea(entries.map(\.hash)))
        binds.append(entries.last?.sequence)
        try binds.append(entries.last?.hash)
        binds.append(channel)
        binds.append(announcements)
        binds.append(ColumnArray.text(rows.deletedGroups.map(\.scope.teamId)))
        binds.append(ColumnArray.text(rows.deletedGroups.map(\.scope.projectId)))
        binds.append(ColumnArray.text(rows.deletedGroups.map(\.id)))
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (sequence, revision, _) = try row.decode((Int64, Int64?, Bool).self)
        return (sequence, revision)
    }

    /// Each entry's place among the entries of its project in this batch (1, 2, ...); nil for an entry outside any.
    static func revisionOffsets(of entries: [AuditEntry]) -> [Int64?] {
        var counts: [ProjectScope: Int64] = [:]
        return entries.map { entry in
            guard let projectId = entry.projectId else { return nil }
            let scope = ProjectScope(team: entry.teamId, project: projectId)
            counts[scope, default: 0] += 1
            return counts[scope]
        }
    }

    private static func appendGroups(_ groups: [GroupRow], to binds: inout PostgresBindings) {
        binds.append(ColumnArray.text(groups.map(\.scope.teamId)))
        binds.append(ColumnArray.text(groups.map(\.scope.projectId)))
        binds.append(ColumnArray.text(groups.map(\.id)))
        binds.append(ColumnArray.text(groups.map(\.name)))
        binds.append(ColumnArray.text(groups.map(\.description)))
        binds.append(ColumnArray.text(groups.map(\.type)))
        binds.append(ColumnArray.text(groups.map(\.secretType)))
        binds.append(ColumnArray.bigint(groups.map(\.priority)))
        binds.append(ColumnArray.text(groups.map(\.tags)))
        binds.append(ColumnArray.text(groups.map(\.stageId)))
        binds.append(ColumnArray.text(groups.map(\.restrictions)))
        binds.append(ColumnArray.text(groups.map(\.addonDependencies)))
        binds.append(ColumnArray.text(groups.map(\.externalAddonDependencies)))
        binds.append(ColumnArray.bytea(groups.map(\.sealedValues)))
        binds.append(ColumnArray.bigint(groups.map(\.dataKeyGeneration)))
        binds.append(ColumnArray.bigint(groups.map(\.version)))
        binds.append(ColumnArray.bigint(groups.map(\.createdAt)))
        binds.append(ColumnArray.bigint(groups.map(\.updatedAt)))
    }
}

extension BatchWriteStatement {
    /// The row changes one statement carries: of the kinds it takes, each row at most once.
    struct Rows: Sendable {
        private(set) var insertedGroups: [GroupRow] = []
        private(set) var updatedGroups: [GroupRow] = []
        private(set) var deletedGroups: [GroupAddress] = []
        private(set) var versions: [GroupVersionRow] = []
        private var changed: Set<RowAddress> = []

        init() {}

        var isEmpty: Bool { insertedGroups.isEmpty && updatedGroups.isEmpty && deletedGroups.isEmpty && versions.isEmpty }

        /// Whether the statement takes changes of this kind.
        static func takes(_ change: RowChange) -> Bool {
            switch change {
            case .insertGroup, .updateGroup, .deleteGroup, .insertGroupVersion: true
            default: false
            }
        }

        /// Adds `change`; false, adding nothing, for a kind the statement does not take or a row it already changes.
        mutating func add(_ change: RowChange) -> Bool {
            guard Self.takes(change), changed.isDisjoint(with: change.addresses) else { return false }
            changed.formUnion(change.addresses)
            switch change {
            case .insertGroup(let row): insertedGroups.append(row)
            case .updateGroup(let row): updatedGroups.append(row)
            case .deleteGroup(let scope, let id): deletedGroups.append(GroupAddress(scope: scope, id: id))
            case .insertGroupVersion(let version): versions.append(version)
            default: return false
            }
            return true
        }
    }
}
