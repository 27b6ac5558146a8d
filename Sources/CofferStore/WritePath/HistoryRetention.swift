/// What history retention drops, as one SQL query both database drivers run (SQLite and PostgreSQL share its
/// dialect): one pass over `group_version` with window functions, so a sweep costs one sort, not a lookup per row.
package enum HistoryRetention {
    /// `parameter(n)` writes the driver's placeholder for parameter n. With `among` (a count of groups), parameters
    /// 4, 5, 6 and on name each group's team, project and id, and only their versions are read.
    ///
    /// Parameters: 1 the versions to keep per group, 2 the moment before which a deleted group's history is purged
    /// (milliseconds), 3 the most rows to answer. Columns: `group_id, version, action, at, actor, changed_keys,
    /// changed_fields, team_id, project_id`.
    ///
    /// `newer_content` counts, for each version, the versions at or after it that are not deletes. A group keeps its
    /// `keep` newest of those and everything after the oldest of them: a version that is not a delete goes when more
    /// than `keep` are at or after it, a delete when `keep` are after it. A group whose newest version is a delete
    /// recorded before the cutoff goes whole.
    package static func expiredVersionsSQL(among groups: Int? = nil, _ parameter: (Int) -> String) -> String {
        let filter =
            groups.map { count in
                let rows = (0..<count).map { "(\(parameter(4 + 3 * $0)), \(parameter(5 + 3 * $0)), \(parameter(6 + 3 * $0)))" }
                return "WHERE (team_id, project_id, group_id) IN (VALUES \(rows.joined(separator: ", ")))"
            } ?? ""
        return """
        SELECT group_id, version, action, at, actor, changed_keys, changed_fields, team_id, project_id FROM (
            SELECT group_id, version, action, at, actor, changed_keys, changed_fields, team_id, project_id,
                sum(CASE WHEN action <> 'delete' THEN 1 ELSE 0 END) OVER newest_first AS newer_content,
                first_value(action) OVER newest_first AS newest_action,
                first_value(at) OVER newest_first AS newest_at
            FROM group_version \(filter)
            WINDOW newest_first AS (PARTITION BY team_id, project_id, group_id ORDER BY version DESC
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ) AS ranked
        WHERE (newest_action = 'delete' AND newest_at < \(parameter(2)))
            OR newer_content > \(parameter(1))
            OR (action = 'delete' AND newer_content >= \(parameter(1)))
        LIMIT \(parameter(3))
        """
    }
}
