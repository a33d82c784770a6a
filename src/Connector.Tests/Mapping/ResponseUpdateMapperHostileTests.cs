using System.Text;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public class ResponseUpdateMapperHostileTests
{
    [Theory]
    [InlineData(253_402_300_800L)]
    [InlineData(1_700_000_000_000L)]
    [InlineData(-62_135_596_801L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void A_created_at_outside_the_representable_range_is_left_unset(long createdAt)
    {
        var mapper = new ResponseUpdateMapper();
        var created = """{"type":"response.created","response":{"id":"resp_1","model":"m","created_at":""" + createdAt + "}}";

        mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(created)));

        mapper.ResponseId.Should().Be("resp_1");
        mapper.CreatedAt.Should().BeNull();
    }

    [Theory]
    [InlineData(253_402_300_799L)]
    [InlineData(-62_135_596_800L)]
    public void The_range_ends_are_kept(long createdAt)
    {
        var mapper = new ResponseUpdateMapper();
        var created = """{"type":"response.created","response":{"id":"resp_1","created_at":""" + createdAt + "}}";

        mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(created)));

        mapper.CreatedAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(createdAt));
    }
}
