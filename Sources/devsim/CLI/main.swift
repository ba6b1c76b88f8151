import DevsimKit
import Foundation

// A closed output pipe must be an I/O error the code sees (EPIPE), never a
// death by SIGPIPE that would skip the power stage's safe state.
signal(SIGPIPE, SIG_IGN)
exit(DevsimTool.main(Array(CommandLine.arguments.dropFirst()), console: .standard()))
