namespace ResponsesWebSocket.Tests; public class Smoke { [Fact] public void Works() => 1.Should().Be(1); }
