import Glibc

/// Scratch folders for tests, under the system's temporary folder.
enum TestFolder {
    static func make() -> String {
        var template = Array("/tmp/gazetop-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    static func write(_ path: String, _ text: String) {
        let f = fopen(path, "w")!
        fputs(text, f)
        fclose(f)
    }
}
