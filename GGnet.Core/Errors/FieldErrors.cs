namespace GGnet.Core.Errors;

/// <summary>Collects validation sentences per field, then throws them all at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new InvalidInputException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}
