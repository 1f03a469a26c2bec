using Microsoft.AspNetCore.Identity;

namespace GGnet.Infrastructure.Identity;

/// <summary>A person who logs in to GGnet.</summary>
public sealed class GGnetUser : IdentityUser
{
    public GGnetUser()
    {
    }

    public GGnetUser(string userName)
        : base(userName)
    {
    }
}
