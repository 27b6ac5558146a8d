import Testing

@testable import CofferCore

@Suite("Resolver addon keys")
struct AddonKeyResolutionTests {
    static let service = Fixture.workload("api")
    static let usernameLink = AddonDependency(addonId: "example-addon", keys: [.init(keyName: "USERNAME", aliases: ["MONGO_USERNAME"])])
    static let exampleAddon = Fixture.addon("example-addon", credentials: ["USERNAME": "placeholder-user", "PASSWORD": "placeholder-pass"])

    @Test("Addon.defaultKey is NF_<ADDON-ID uppercased>_<keyName>")
    func defaultKeyName() {
        #expect(Addon.defaultKey(addonId: "example-addon", keyName: "USERNAME") == "NF_EXAMPLE-ADDON_USERNAME")
        #expect(Addon.defaultKey(addonId: "db2", keyName: "port") == "NF_DB2_port")
    }

    @Test("a linked key surfaces under its default name and each alias, with the addon as source")
    func linkedKeyAndAlias() throws {
        let group = Fixture.group("linked", priority: 10, addons: [Self.usernameLink])
        let resolver = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon])
        let resolution = resolver.resolve(Self.service, phase: .runtime)
        #expect(resolution.environment == ["NF_EXAMPLE-ADDON_USERNAME": "placeholder-user", "MONGO_USERNAME": "placeholder-user"])
        for name in ["NF_EXAMPLE-ADDON_USERNAME", "MONGO_USERNAME"] {
            let entry = try #require(resolution.variables[name])
            #expect(entry.source == Fixture.source("linked", 10, addon: "example-addon"))
        }
        #expect(resolution.warnings.isEmpty)
    }

    @Test("an unlinked credential of the addon does not surface")
    func onlyLinkedKeysSurface() {
        let group = Fixture.group("linked", priority: 10, addons: [Self.usernameLink])
        let resolution = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon]).resolve(Self.service, phase: .runtime)
        #expect(resolution.variables["NF_EXAMPLE-ADDON_PASSWORD"] == nil)
    }

    @Test("the group's own variable wins over its own addon key of the same name, and is not attributed to the addon")
    func ownVariableBeatsOwnAddonKey() throws {
        let group = Fixture.group("linked", priority: 10, variables: ["MONGO_USERNAME": "group-own"], addons: [Self.usernameLink])
        let resolution = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon]).resolve(Self.service, phase: .runtime)
        let alias = try #require(resolution.variables["MONGO_USERNAME"])
        #expect(alias.value == "group-own")
        #expect(alias.source == Fixture.source("linked", 10))
        #expect(resolution.variables["NF_EXAMPLE-ADDON_USERNAME"]?.source.addonId == "example-addon")
    }

    @Test("a higher-priority group's addon key beats a lower group's own variable")
    func addonKeyCompetesByPriority() throws {
        let linked = Fixture.group("linked", priority: 80, addons: [Self.usernameLink])
        let plain = Fixture.group("plain", priority: 20, variables: ["MONGO_USERNAME": "plain"])
        let resolution = Resolver(groups: [plain, linked], addons: ["example-addon": Self.exampleAddon]).resolve(Self.service, phase: .runtime)
        let entry = try #require(resolution.variables["MONGO_USERNAME"])
        #expect(entry.value == "placeholder-user")
        #expect(entry.source.addonId == "example-addon")
        #expect(entry.overriding == [.init(value: "plain", source: Fixture.source("plain", 20))])
    }

    @Test("a link to a missing addon contributes nothing and is reported naming the group and the addon")
    func missingAddonWarns() throws {
        let group = Fixture.group("linked", priority: 10, variables: ["PLAIN": "p"], addons: [Self.usernameLink])
        let resolution = Resolver(groups: [group]).resolve(Self.service, phase: .runtime)
        #expect(resolution.environment == ["PLAIN": "p"])
        let warning = try #require(resolution.warnings.only)
        #expect(warning.contains("linked"))
        #expect(warning.contains("example-addon"))
    }

    @Test("a link to a key the addon does not have contributes nothing and is reported naming the key")
    func missingKeyWarns() throws {
        let link = AddonDependency(addonId: "example-addon", keys: [.init(keyName: "REPLICA_SET", aliases: ["MONGO_RS"])])
        let group = Fixture.group("linked", priority: 10, addons: [link])
        let resolution = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon]).resolve(Self.service, phase: .runtime)
        #expect(resolution.variables.isEmpty)
        let warning = try #require(resolution.warnings.only)
        #expect(warning.contains("REPLICA_SET"))
        #expect(warning.contains("example-addon"))
        #expect(warning.contains("linked"))
    }

    @Test("external links resolve against externalAddons only")
    func externalLinksUseExternalAddons() throws {
        let group = Fixture.group("linked", priority: 10, externalAddons: [Self.usernameLink])
        let external = Fixture.addon("example-addon", kind: .external, type: "rds", credentials: ["USERNAME": "external-user"])

        let resolved = Resolver(groups: [group], externalAddons: ["example-addon": external]).resolve(Self.service, phase: .runtime)
        #expect(resolved.environment == ["NF_EXAMPLE-ADDON_USERNAME": "external-user", "MONGO_USERNAME": "external-user"])
        #expect(resolved.variables["MONGO_USERNAME"]?.source.addonId == "example-addon")
        #expect(resolved.warnings.isEmpty)

        let wrongKind = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon]).resolve(Self.service, phase: .runtime)
        #expect(wrongKind.variables.isEmpty)
        let warning = try #require(wrongKind.warnings.only)
        #expect(warning.contains("External addon 'example-addon'"))
    }

    @Test("when two links of one group claim an alias, the regular addon beats the external one and a warning is given")
    func regularLinkBeatsExternalForAlias() throws {
        let group = Fixture.group(
            "linked",
            priority: 10,
            addons: [AddonDependency(addonId: "db", keys: [.init(keyName: "USER", aliases: ["SHARED_USER"])])],
            externalAddons: [AddonDependency(addonId: "ext", keys: [.init(keyName: "USER", aliases: ["SHARED_USER"])])]
        )
        let resolver = Resolver(
            groups: [group],
            addons: ["db": Fixture.addon("db", credentials: ["USER": "regular-user"])],
            externalAddons: ["ext": Fixture.addon("ext", kind: .external, credentials: ["USER": "external-user"])]
        )
        let resolution = resolver.resolve(Self.service, phase: .runtime)
        #expect(resolution.environment == ["NF_DB_USER": "regular-user", "NF_EXT_USER": "external-user", "SHARED_USER": "regular-user"])
        #expect(resolution.variables["SHARED_USER"]?.source.addonId == "db")
        #expect(resolution.variables["NF_EXT_USER"]?.source.addonId == "ext")
        let warning = try #require(resolution.warnings.only)
        #expect(warning.contains("SHARED_USER"))
    }

    @Test("an addon key goes only to the phases its group feeds")
    func addonKeysFollowSecretType() {
        let group = Fixture.group("linked", .arguments, priority: 10, addons: [Self.usernameLink])
        let resolver = Resolver(groups: [group], addons: ["example-addon": Self.exampleAddon])
        #expect(resolver.resolve(Self.service, phase: .runtime).variables.isEmpty)
        #expect(resolver.resolve(Self.service, phase: .build).environment["MONGO_USERNAME"] == "placeholder-user")
    }

    @Test("rotating the addon's credentials changes every linking group's value at once")
    func credentialRotation() {
        let groups = [
            Fixture.group("one", priority: 10, addons: [Self.usernameLink]),
            Fixture.group("two", .arguments, priority: 10, addons: [Self.usernameLink]),
        ]
        let rotated = Fixture.addon("example-addon", credentials: ["USERNAME": "rotated-user"])
        let resolver = Resolver(groups: groups, addons: ["example-addon": rotated])
        #expect(resolver.resolve(Self.service, phase: .runtime).environment["MONGO_USERNAME"] == "rotated-user")
        #expect(resolver.resolve(Self.service, phase: .build).environment["MONGO_USERNAME"] == "rotated-user")
    }
}

extension Array {
    /// The single element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
