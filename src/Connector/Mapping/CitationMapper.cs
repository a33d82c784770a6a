using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps output-text annotations onto <see cref="CitationAnnotation"/>.</summary>
internal static class CitationMapper
{
    public static CitationAnnotation Map(AnnotationWire annotation)
    {
        var citation = new CitationAnnotation
        {
            Title = annotation.Title ?? annotation.Filename,
            FileId = annotation.FileId,
        };

        if (annotation.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            citation.Url = uri;
        }

        if (annotation.StartIndex is { } start && annotation.EndIndex is { } end)
        {
            citation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start, EndIndex = end }];
        }

        if (annotation.Type is { } type && type != "url_citation" && type != "file_citation")
        {
            // container_file_citation and file_path keep their kind so callers can tell them apart.
            (citation.AdditionalProperties ??= [])["type"] = type;
            if (annotation.ContainerId is { } container) citation.AdditionalProperties["container_id"] = container;
        }

        return citation;
    }
}
