import Dashboard
import Testing

@Suite struct UIActionTests {
    @Test(arguments: [
        (Key.character("q"), UIAction.quit), (.function(10), .quit), (.character(" "), .togglePause),
        (.character("r"), .resetStatistics), (.character("p"), .togglePreview), (.character("c"), .calibrate),
        (.character("g"), .challenge), (.character("?"), .toggleHelp), (.function(1), .toggleHelp),
        // + widens the cone, as the footer's "+/- cone" reads (it used to narrow it).
        (.character("+"), .looser), (.character("="), .looser), (.character("-"), .stricter), (.resize, .redraw),
    ])
    func keys(key: Key, action: UIAction) {
        #expect(UIAction(key) == action)
    }

    @Test func escapeClosesTheHelpFirst() {
        #expect(UIAction(.escape, helpShown: false) == .quit)
        #expect(UIAction(.escape, helpShown: true) == .toggleHelp)
    }

    @Test(arguments: [Key.character("x"), .character("1"), .function(5), .other])
    func otherKeysDoNothing(key: Key) {
        #expect(UIAction(key) == nil)
    }
}
