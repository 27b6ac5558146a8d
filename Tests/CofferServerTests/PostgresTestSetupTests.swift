import CofferPostgresTestSupport
import CofferStore
import CofferTestSupport
import Testing

/// `POSTGRES_URL` as the tests read it: unset or malformed skips the PostgreSQL tests with the reason, never crashes
/// the run, and the reason never repeats the URL (it may hold a password).
@Suite struct PostgresTestSetupTests {
    @Test func anUnsetURLSkipsSayingSo() {
        for environment in [[:], ["POSTGRES_URL": ""]] {
            let setting = PostgresTestDatabase.setting(from: environment)
            #expect(setting.url == nil)
            #expect(setting.skipNote.contains("POSTGRES_URL is unset"))
        }
    }

    @Test(arguments: [
        "mysql://root:hunter2pw@db/coffer", "postgres://coffer:hunter2pw@/coffer", "postgres://coffer:hunter2pw@db/coffer?sslmode=maybe",
    ])
    func aMalformedURLSkipsWithWhatIsWrongAndNoPassword(_ text: String) {
        let setting = PostgresTestDatabase.setting(from: ["POSTGRES_URL": text])
        #expect(setting.url == nil)
        #expect(setting.skipNote.hasPrefix("PostgreSQL tests skipped: POSTGRES_URL is malformed ("), "\(setting.skipNote)")
        #expect(!setting.skipNote.contains("hunter2pw"))
    }

    @Test func aWellFormedURLIsUsed() throws {
        let setting = PostgresTestDatabase.setting(from: ["POSTGRES_URL": "postgres://coffer@127.0.0.1:5432/postgres?sslmode=disable"])
        #expect(try #require(setting.url).port == 5432)
    }
}
