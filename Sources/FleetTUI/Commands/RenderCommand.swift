import ArgumentParser

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Render a saved frame (binary PPM, as virsh screenshot writes) as text.")
    @Argument(help: "PPM file") var file: String
    func run() throws { throw ValidationError("render: not built yet") }
}
