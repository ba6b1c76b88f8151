import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

@Suite("Termios2", .tags(.io))
struct Termios2Tests {
  @Test("struct termios2 is 44 bytes with the kernel header's offsets")
  func layout() {
    typealias Layout = MemoryLayout<Termios2>
    #expect(Layout.size == 44)
    #expect(Layout.stride == 44)
    #expect(Layout.alignment == 4)
    #expect(Layout.offset(of: \.inputFlags) == 0)
    #expect(Layout.offset(of: \.outputFlags) == 4)
    #expect(Layout.offset(of: \.controlFlags) == 8)
    #expect(Layout.offset(of: \.localFlags) == 12)
    #expect(Layout.offset(of: \.lineDiscipline) == 16)
    #expect(Layout.offset(of: \.controlCharacters) == 17)
    #expect(MemoryLayout<InlineArray<19, UInt8>>.size == 19)
    #expect(Layout.offset(of: \.inputSpeed) == 36)
    #expect(Layout.offset(of: \.outputSpeed) == 40)
  }

  @Test("the ioctl numbers encode the structure's size (_IOR/_IOW 'T')")
  func requestNumbers() {
    // _IOC(direction, type, number, size) = direction << 30 | size << 16 | type << 8 | number.
    func ioc(_ direction: UInt, _ number: UInt) -> UInt {
      direction << 30 | UInt(MemoryLayout<Termios2>.size) << 16 | UInt(UInt8(ascii: "T")) << 8
        | number
    }
    #expect(Termios2.getRequest == ioc(2, 0x2A))  // _IOC_READ
    #expect(Termios2.setRequest == ioc(1, 0x2B))  // _IOC_WRITE
    #expect(Termios2.getRequest == 0x802C_542A)
    #expect(Termios2.setRequest == 0x402C_542B)
    #expect(Termios2.otherSpeed == 0o010000)
    #expect(Termios2.speedMask & Termios2.otherSpeed == Termios2.otherSpeed)
  }

  @Test("TCGETS2 on a pty reads the speed glibc set")
  func readsSpeed() throws {
    let pty = try PseudoTerminal()
    var attributes = termios()
    #expect(tcgetattr(pty.slaveDescriptor, &attributes) == 0)
    cfsetspeed(&attributes, speed_t(B57600))
    #expect(tcsetattr(pty.slaveDescriptor, TCSANOW, &attributes) == 0)
    let kernel = try SerialSystemCalls.posix.getAttributes2(pty.slaveDescriptor)
    #expect(kernel.outputSpeed == 57_600)
    #expect(kernel.controlFlags & Termios2.speedMask == UInt32(B57600))
  }
}
