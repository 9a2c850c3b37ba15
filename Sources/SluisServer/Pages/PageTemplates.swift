import Foundation
import Mustache

/// The pages' Mustache templates and stylesheet, package resources of SluisServer
/// (`Pages/Templates`, `Pages/Static`), read once. Mustache escapes every `{{value}}` for HTML;
/// the templates use no triple mustache, so no text reaches a page unescaped.
enum PageTemplates {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static let library: Result<MustacheLibrary, any Error> = Result {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else { throw Missing(description: "Pages/Templates") }
        var library = MustacheLibrary()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }.sorted()
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        return library
    }

    /// The stylesheet, served as /static/sluis.css.
    static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "sluis", withExtension: "css", subdirectory: "Static"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    /// `object` rendered with the template `name`. Errors: `Missing` when the template or the
    /// resources are not there (a broken install: the page says so, the log names the template).
    static func render(_ object: Any, _ name: String) throws -> String {
        let library = try library.get()
        guard let text = library.render(object, withTemplate: name) else { throw Missing(description: "template \(name)") }
        return text
    }
}
