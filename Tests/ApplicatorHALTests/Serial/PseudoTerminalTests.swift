import Foundation
import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A fresh empty directory under the temporary directory.
private func temporaryDirectory() throws -> URL {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("serial-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
  return directory
}

@Suite("PseudoTerminal", .tags(.io))
struct PseudoTerminalTests {
  @Test("the slave is a pts device in raw mode; the master is ready to use")
  func opens() throws {
    let pty = try PseudoTerminal()
    #expect(pty.slavePath.hasPrefix("/dev/pts/"))
    var attributes = termios()
    #expect(tcgetattr(pty.slaveDescriptor, &attributes) == 0)
    #expect(attributes.c_lflag & tcflag_t(ICANON | ECHO) == 0)
    #expect(attributes.c_oflag & tcflag_t(OPOST) == 0)
  }

  @Test("with no host on the slave, master reads time out instead of failing with EIO")
  func masterWithoutHost() throws {
    let pty = try PseudoTerminal()
    #expect(throws: FaultKind.timedOut) {
      try pty.master.readLine(maximumBytes: 8, deadlineNanoseconds: deadline(inMilliseconds: 20))
    }
    // A host comes, talks, goes, and comes back: the emulator notices nothing.
    var host = try SerialPort(path: pty.slavePath)
    try host.write(ascii("one\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pty.master.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
        == ascii("one"))
    host.close()
    #expect(throws: FaultKind.timedOut) {
      try pty.master.readLine(maximumBytes: 8, deadlineNanoseconds: deadline(inMilliseconds: 20))
    }
    host = try SerialPort(path: pty.slavePath)
    try host.write(ascii("two\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pty.master.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
        == ascii("two"))
  }

  @Test("closing the pair: the host's read and write throw .disconnected, the master too")
  func closeIsUnplug() throws {
    let pty = try PseudoTerminal()
    let host = try SerialPort(path: pty.slavePath)
    pty.close()
    pty.close()
    #expect(pty.slaveDescriptor == -1)
    #expect(throws: FaultKind.disconnected) {
      try host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
    }
    #expect(throws: FaultKind.disconnected) {
      try host.write(ascii("x\n"), deadlineNanoseconds: generousDeadline())
    }
    #expect(throws: FaultKind.disconnected) {
      try pty.master.write(ascii("x\n"), deadlineNanoseconds: generousDeadline())
    }
  }

  @Test("link(at:) makes a symlink a host can open, replaces an old symlink, and close removes it")
  func link() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("rig0").path
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/null")

    let pty = try PseudoTerminal()
    try pty.link(at: path)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == pty.slavePath)
    let host = try SerialPort(path: path)
    try pty.master.write(ascii("via link\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try host.readLine(maximumBytes: 16, deadlineNanoseconds: generousDeadline())
        == ascii("via link"))
    pty.close()
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil)
  }

  @Test("link(at:) never replaces a regular file")
  func linkRefusesRegularFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("precious.txt").path
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
    let pty = try PseudoTerminal()
    let error = #expect(throws: SerialOpenError.self) { try pty.link(at: path) }
    #expect(error?.kind == .invalidValue)
    #expect(error?.message.contains(path) == true)
    pty.close()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
  }

  @Test("close leaves a link alone once someone else has repointed it")
  func closeKeepsForeignLink() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("rig1").path
    let first = try PseudoTerminal()
    let second = try PseudoTerminal()
    try first.link(at: path)
    try second.link(at: path)
    first.close()
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == second.slavePath)
    second.close()
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil)
  }
}
