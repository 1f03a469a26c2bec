using GGnet.Core.Domain;
using GGnet.Core.Domain.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GGnet.Infrastructure.Persistence.Configurations;

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasMaxLength(Hostname.MaxLength);
        builder.Property(n => n.PortalAddress).HasMaxLength(15);
        builder.Property(n => n.Pools).HasMaxLength(Node.MaxPoolsLength);
        builder.Property(n => n.Version).HasMaxLength(64);
    }
}
