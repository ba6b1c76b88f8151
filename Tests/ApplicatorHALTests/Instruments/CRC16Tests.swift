import InstrumentProtocols
import Testing

@Suite("CRC16")
struct CRC16Tests {
  /// The catalogued check values (the CRC of the ASCII bytes "123456789").
  @Test("CRC-16/XMODEM of \"123456789\" is 0x31C3")
  func xmodemCheckValue() {
    #expect(CRC16.xmodem(Array("123456789".utf8)) == 0x31C3)
  }

  @Test("CRC-16/MODBUS of \"123456789\" is 0x4B37")
  func modbusCheckValue() {
    #expect(CRC16.modbus(Array("123456789".utf8)) == 0x4B37)
  }

  @Test("the CRC of no bytes is the initial value: 0 for XMODEM, 0xFFFF for MODBUS")
  func emptyInput() {
    #expect(CRC16.xmodem([UInt8]()) == 0)
    #expect(CRC16.modbus([UInt8]()) == 0xFFFF)
  }

  @Test("one flipped bit changes both CRCs")
  func singleBitFlip() {
    let bytes = Array("#0015AB?VR03E801".utf8)
    for index in bytes.indices {
      var flipped = bytes
      flipped[index] ^= 0x01
      #expect(CRC16.xmodem(flipped) != CRC16.xmodem(bytes))
      #expect(CRC16.modbus(flipped) != CRC16.modbus(bytes))
    }
  }
}
