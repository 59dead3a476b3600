namespace Trm.Serving;

/// <summary>
/// A request the service refuses, as RFC 9457 <c>application/problem+json</c>: its HTTP status, a short title, what is wrong and
/// what to do, and the request field it is about (<c>puzzle</c>, <c>max_steps</c>, <c>puzzle[2][3]</c>) where there is one.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, string? fieldName = null, TimeSpan? retryAfter = null) : Exception(detail)
{
    public int Status => status;
    public string Title => title;
    public string? Field => fieldName;
    public TimeSpan? RetryAfter => retryAfter;

    public static ProblemException BadRequest(string detail, string? field = null) => new(400, "Malformed request", detail, field);
    public static ProblemException Unprocessable(string detail, string? field = null) => new(422, "Puzzle not accepted", detail, field);
}
