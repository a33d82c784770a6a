namespace ResponsesWebSocket.Testing;

/// <summary>Sends planned events to a sink, applying a delivery fault (raw/binary prefix, pause, drop or close after N events).</summary>
internal static class ResponseDelivery
{
    public static async Task<DeliveryOutcome> DeliverAsync(
        IReadOnlyList<ResponseEvent> events,
        InjectedFault? fault,
        IEventSink sink,
        CancellationToken cancellationToken)
    {
        if (fault?.Kind == FaultKind.SendRawBefore)
        {
            await sink.SendRawTextAsync(fault.RawText!, cancellationToken).ConfigureAwait(false);
        }
        else if (fault?.Kind == FaultKind.SendBinaryBefore)
        {
            await sink.SendBinaryAsync(fault.BinaryData!, cancellationToken).ConfigureAwait(false);
        }

        // A count beyond the last event means "after the whole response", never "not at all".
        var faultAt = fault is null ? -1 : Math.Min(fault.EventCount, events.Count);
        for (var index = 0; index <= events.Count; index++)
        {
            if (index == faultAt)
            {
                switch (fault!.Kind)
                {
                    case FaultKind.DropAfterEvents:
                        sink.Drop();
                        return DeliveryOutcome.Dropped;
                    case FaultKind.CloseAfterEvents:
                        await sink.CloseAsync(fault.CloseStatus, fault.CloseDescription).ConfigureAwait(false);
                        return DeliveryOutcome.Closed;
                    case FaultKind.PauseAfterEvents:
                        await fault.Release!.WaitAsync(cancellationToken).ConfigureAwait(false);
                        break;
                }
            }

            if (index == events.Count)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await sink.SendEventAsync(events[index], cancellationToken).ConfigureAwait(false);
        }

        return DeliveryOutcome.Delivered;
    }
}
