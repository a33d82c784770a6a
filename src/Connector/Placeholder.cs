namespace ResponsesWebSocket; internal static class Placeholder { }
