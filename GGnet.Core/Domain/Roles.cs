namespace GGnet.Core.Domain;

/// <summary>What a user may do: Admin everything, Operator run the café, Viewer only look.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];
}
