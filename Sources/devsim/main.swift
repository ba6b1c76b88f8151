import Foundation

exit(DevsimTool.main(Array(CommandLine.arguments.dropFirst()), console: .standard()))
