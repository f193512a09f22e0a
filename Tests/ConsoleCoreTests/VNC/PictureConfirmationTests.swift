import Testing
@testable import ConsoleCore

/// A look believes a whole picture; a uniform one only when the second whole picture it asked for is uniform too.
@Suite struct PictureConfirmationTests {
    /// A 4x2 update, `wholePictures` counted since connecting; uniform (all black) or not.
    func update(wholePictures: Int, uniform: Bool) -> VNCFrameUpdate {
        var pixels = [UInt32](repeating: 0, count: 8)
        if !uniform { pixels[5] = 0x00FF_FFFF }
        return VNCFrameUpdate(width: 4, height: 2, pixels: pixels, dirty: [], resized: false, generation: wholePictures,
                              wholePictures: wholePictures)
    }

    @Test func aPictureWithSomethingOnItIsTakenOnceUpdatesSettle() {
        var c = PictureConfirmation(start: 0, settle: 0.3, uniformSettle: 1, askAgainAfter: 8)
        let u = update(wholePictures: 1, uniform: false)
        #expect(c.step(latest: u, quiet: 0.1, now: 1) == .wait)
        #expect(c.step(latest: u, quiet: 0.3, now: 1.2) == .accept)
        #expect(c.isConfirmed(u))
        // No settling asked for (the sampler's looks): taken at once.
        var now = PictureConfirmation(start: 0, askAgainAfter: 2)
        #expect(now.step(latest: u, quiet: 0, now: 0.01) == .accept)
    }

    @Test func aUniformPictureAsksForASecondOneAndIsBelievedWhenThatIsUniformToo() {
        var c = PictureConfirmation(start: 0, settle: 0.3, uniformSettle: 1, askAgainAfter: 8)
        let black = update(wholePictures: 1, uniform: true)
        #expect(c.step(latest: black, quiet: 0.5, now: 1) == .wait)   // not quiet long enough to judge
        #expect(!c.isConfirmed(black))
        #expect(c.step(latest: black, quiet: 1, now: 1.5) == .requestWholePicture)
        #expect(c.wanted == 2)
        // The same picture again is not the second one: no new request (until askAgainAfter), not believed.
        #expect(c.step(latest: black, quiet: 3, now: 3.5) == .wait)
        #expect(!c.isConfirmed(black))
        let second = update(wholePictures: 2, uniform: true)
        #expect(c.isConfirmed(second))
        #expect(c.step(latest: second, quiet: 0.2, now: 3.7) == .wait)
        #expect(c.step(latest: second, quiet: 1, now: 4.5) == .accept)
    }

    /// A display switching modes, or a server that draws its real picture late: black first, then the picture.
    @Test func aUniformPictureFollowedByARealOneTakesTheRealOne() {
        var c = PictureConfirmation(start: 0, askAgainAfter: 2)
        #expect(c.step(latest: update(wholePictures: 3, uniform: true), quiet: 0, now: 0.1) == .requestWholePicture)
        #expect(c.wanted == 4)
        // An update from before the request came (still 3 whole pictures): not judged.
        let late = update(wholePictures: 3, uniform: false)
        #expect(c.step(latest: late, quiet: 0, now: 0.2) == .wait)
        #expect(c.isConfirmed(late))   // but, should the display close now, it is not a uniform one: kept
        #expect(c.step(latest: update(wholePictures: 4, uniform: false), quiet: 0, now: 0.3) == .accept)
    }

    @Test func noWholePictureForAWhileAsksAgainEveryPeriod() {
        var c = PictureConfirmation(start: 10, askAgainAfter: 8)
        #expect(c.step(latest: nil, quiet: 0, now: 17.9) == .wait)
        #expect(c.step(latest: nil, quiet: 0, now: 18) == .requestWholePicture)
        #expect(c.step(latest: nil, quiet: 0, now: 25) == .wait)
        #expect(c.step(latest: nil, quiet: 0, now: 26) == .requestWholePicture)
        // After a uniform picture asked for a second one, its period counts from that request.
        #expect(c.step(latest: update(wholePictures: 1, uniform: true), quiet: 0, now: 27) == .requestWholePicture)
        #expect(c.step(latest: update(wholePictures: 1, uniform: true), quiet: 0, now: 34) == .wait)
        #expect(c.step(latest: update(wholePictures: 1, uniform: true), quiet: 0, now: 35) == .requestWholePicture)
        #expect(c.wanted == 2)
    }

    @Test func uniformMeansEveryPixelTheSame() {
        #expect(update(wholePictures: 1, uniform: true).isUniform)
        #expect(!update(wholePictures: 1, uniform: false).isUniform)
        #expect(VNCFrameUpdate(width: 0, height: 0, pixels: [], dirty: [], resized: true, generation: 0).isUniform)
        #expect(Framebuffer(width: 2, height: 1, pixels: [7, 7]).isUniform && !Framebuffer(width: 2, height: 1, pixels: [7, 8]).isUniform)
    }
}
