import SCPI

#if canImport(Glibc)
  import ApplicatorHAL
  import Testing

  @Suite("SCPIErrorQueue")
  struct SCPIErrorQueueTests {
    @Test(
      "each error has its SCPI-99 code, message and reply",
      arguments: [
        (SCPIError.syntax, -102, "Syntax error"),
        (.missingParameter, -109, "Missing parameter"),
        (.undefinedHeader, -113, "Undefined header"),
        (.execution, -200, "Execution error"),
        (.settingsConflict, -221, "Settings conflict"),
        (.dataOutOfRange, -222, "Data out of range"),
        (.illegalParameterValue, -224, "Illegal parameter value"),
        (.queueOverflow, -350, "Queue overflow"),
        (.inputBufferOverrun, -363, "Input buffer overrun"),
      ])
    func codes(error: SCPIError, code: Int, message: String) {
      #expect(error.rawValue == code)
      #expect(error.message == message)
      #expect(error.reply == "\(code),\"\(message)\"")
    }

    @Test("the table above covers every case")
    func allCases() {
      #expect(SCPIError.allCases.count == 9)
      #expect(SCPIError.dataOutOfRange.reply == #"-222,"Data out of range""#)
    }

    @Test("an empty queue answers no error")
    func empty() {
      var queue = SCPIErrorQueue()
      #expect(queue.count == 0)
      #expect(queue.pop() == #"0,"No error""#)
      #expect(queue.pop() == #"0,"No error""#)
    }

    @Test("errors come out oldest first")
    func fifo() {
      var queue = SCPIErrorQueue()
      queue.push(.syntax)
      queue.push(.dataOutOfRange)
      queue.push(.settingsConflict)
      #expect(queue.count == 3)
      #expect(queue.pop() == #"-102,"Syntax error""#)
      #expect(queue.pop() == #"-222,"Data out of range""#)
      #expect(queue.pop() == #"-221,"Settings conflict""#)
      #expect(queue.pop() == #"0,"No error""#)
    }

    @Test("overflow replaces the newest entry with -350 and drops later errors")
    func overflow() {
      var queue = SCPIErrorQueue()
      for _ in 0..<15 { queue.push(.syntax) }
      queue.push(.dataOutOfRange)
      #expect(queue.count == 16)
      queue.push(.execution)
      queue.push(.illegalParameterValue)
      #expect(queue.count == 16)
      for _ in 0..<15 { #expect(queue.pop() == #"-102,"Syntax error""#) }
      #expect(queue.pop() == #"-350,"Queue overflow""#)
      #expect(queue.pop() == #"0,"No error""#)
    }

    @Test("a read frees a place for the next error")
    func readFreesPlace() {
      var queue = SCPIErrorQueue()
      for _ in 0..<17 { queue.push(.syntax) }
      _ = queue.pop()
      queue.push(.execution)
      #expect(queue.count == 16)
      for _ in 0..<14 { _ = queue.pop() }
      #expect(queue.pop() == #"-350,"Queue overflow""#)
      #expect(queue.pop() == #"-200,"Execution error""#)
    }

    @Test("clear empties the queue")
    func clear() {
      var queue = SCPIErrorQueue()
      for _ in 0..<20 { queue.push(.syntax) }
      queue.clear()
      #expect(queue.count == 0)
      #expect(queue.pop() == #"0,"No error""#)
      queue.push(.execution)
      #expect(queue.pop() == #"-200,"Execution error""#)
    }
  }
#endif
