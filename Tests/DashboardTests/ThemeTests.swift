import Dashboard
import Testing

@Suite struct ThemeTests {
    /// Every role reads apart from the others in golden files and test messages.
    @Test func rolesHaveDistinctLetters() {
        #expect(Set(Role.allCases.map(\.letter)).count == Role.allCases.count)
    }

    /// Without colour, the bands stand out (reverse video) and alerts are not plain text.
    @Test func withoutColourStatesStillStandOut() {
        for role in [Role.okBanner, .warnBanner, .alertBanner, .idleBanner, .title] {
            #expect(Theme.attributes(role, .none).contains(.reverse), "\(role)")
        }
        #expect(Theme.attributes(.alert, .none).contains(.bold))
        #expect(Theme.attributes(.plain, .none).isEmpty)
        for role in Role.allCases { #expect(Theme.attributes(role, .none).letter != "?", "\(role) has no letter") }
    }

    @Test func greysOnlyWithTheRichPalettes() {
        #expect(ColorSupport.palette256.hasGreys && ColorSupport.direct.hasGreys)
        #expect(!ColorSupport.basic.hasGreys && !ColorSupport.none.hasGreys)
    }
}
