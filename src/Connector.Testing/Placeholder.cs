namespace ResponsesWebSocket.Testing; internal static class Placeholder { }
