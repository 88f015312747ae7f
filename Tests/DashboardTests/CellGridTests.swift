import Dashboard
import Testing

@Suite struct CellGridTests {
    @Test func writingClipsAtTheEdgesAndAtMaxWidth() {
        var g = CellGrid(width: 6, height: 2)
        #expect(g.put("abcdefgh", x: 2, y: 0) == 6)
        #expect(g.text(row: 0) == "  abcd")
        g.put("xyz", x: -1, y: 1, maxWidth: 3)
        #expect(g.text(row: 1) == "yz    ")
        g.put("out", x: 0, y: 5)
        g.put("clip", x: 1, y: 1, .warn, maxWidth: 2)
        #expect(g.text(row: 1) == "ycl   " && g[1, 1].style == .role(.warn))
    }

    @Test func fillAndPaintStayInside() {
        var g = CellGrid(width: 4, height: 3)
        g.fill(x: -2, y: 1, width: 10, height: 10, "#", .alert)
        #expect(g.text == "    \n####\n####")
        g.paint(x: 1, y: 0, width: 1, height: 3, .ok)
        #expect(g[1, 0].style == .role(.ok) && g[1, 0].char == " " && g[1, 2].char == "#")
    }

    @Test func anEmptyGridIsFine() {
        var g = CellGrid(width: 0, height: 0)
        g.put("x", x: 0, y: 0)
        g.fill(x: 0, y: 0, width: 3, height: 3)
        #expect(g.cells.isEmpty && g.text == "")
    }
}
