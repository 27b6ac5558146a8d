/// Addresses collected as a batch's writes change rows, asked whether a read or a change meets any of them. Kept by
/// table, with fully named rows in a set, so asking about one row of a large batch does not compare it with every row
/// the batch wrote.
package struct RowAddressSet: Sendable {
    private var rows: [RowAddress.Table: Set<RowAddress>] = [:]
    /// Addresses that name a table but leave team, project or id open.
    private var ranges: [RowAddress.Table: [RowAddress]] = [:]
    /// Addresses open as to the table (a project's deletion).
    private var anyTable: [RowAddress] = []

    package init() {}

    package var isEmpty: Bool { rows.isEmpty && ranges.isEmpty && anyTable.isEmpty }

    package mutating func insert(_ address: RowAddress) {
        guard let table = address.table else { return anyTable.append(address) }
        if address.team != nil, address.project != nil, address.id != nil {
            rows[table, default: []].insert(address)
        } else {
            ranges[table, default: []].append(address)
        }
    }

    package mutating func insert(contentsOf addresses: some Sequence<RowAddress>) {
        for address in addresses { insert(address) }
    }

    package mutating func removeAll() {
        self = RowAddressSet()
    }

    /// Whether some row at `address` is in the set.
    package func overlaps(_ address: RowAddress) -> Bool {
        if anyTable.contains(where: address.overlaps) { return true }
        guard let table = address.table else {
            return rows.values.contains { $0.contains(where: address.overlaps) } || ranges.values.contains { $0.contains(where: address.overlaps) }
        }
        if ranges[table]?.contains(where: address.overlaps) == true { return true }
        guard let named = rows[table] else { return false }
        if address.team != nil, address.project != nil, address.id != nil { return named.contains(address) }
        return named.contains(where: address.overlaps)
    }

    package func overlaps(_ addresses: some Sequence<RowAddress>) -> Bool {
        addresses.contains(where: overlaps)
    }
}
