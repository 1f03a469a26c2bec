namespace GGnet.Core.Errors;

/// <summary>Input that was refused, with one or more sentences per field (field names as the API spells them).</summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(IReadOnlyDictionary<string, string[]> errors)
        : base("Some fields are not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
