using Bunit;
using GGnet.Core;
using GGnet.Core.Ports;
using GGnet.Web.Auth;
using GGnet.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GGnet.Tests.Support;

/// <summary>A bUnit context with MudBlazor, Core's use cases over in-memory stores, and a logged-in user of the given role.</summary>
public static class ComponentTestContext
{
    public static BunitContext Create(InMemoryMachineRepository machines, string userName = "alice", bool canOperate = true, InMemoryBootRepository? boot = null, FakeLab? lab = null, bool admin = false)
    {
        var context = new BunitContext();
        machines.AfterCommit = () => context.Services.GetService<GGnet.Core.Machines.AfterMachineCommit>();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddSingleton<IMachineRepository>(machines);
        context.Services.AddSingleton<IMachineGroupRepository, InMemoryMachineGroupRepository>();
        context.Services.AddSingleton(TimeProvider.System);
        context.Services.AddSingleton<IBootSyncTrigger, CountingBootSyncTrigger>();
        context.Services.AddSingleton<UnconfiguredBootNetwork>();
        context.Services.AddSingleton<IBootNetwork>(sp => sp.GetRequiredService<UnconfiguredBootNetwork>());
        context.Services.AddSingleton<INetworkSettingsStore>(sp => sp.GetRequiredService<UnconfiguredBootNetwork>());
        context.Services.AddSingleton<IBootRepository>(boot ?? new InMemoryBootRepository(machines));
        context.Services.AddSingleton<IStatusEvents, QuietStatusEvents>();
        context.Services.AddSingleton<IStatusNotifier, QuietStatusNotifier>();
        context.Services.AddSingleton<GGnet.Web.Components.Pages.Dashboard.DashboardReads>();
        var noSessions = new NoSessions();
        context.Services.AddSingleton<ISessionRepository>(noSessions);
        context.Services.AddSingleton<ISessionJobs>(noSessions);
        context.Services.AddSingleton<IImageRepository, InMemoryImages>();
        lab ??= new FakeLab();
        context.Services.AddSingleton<ILab>(lab);
        context.Services.AddSingleton<IVirtualPcs>(lab);
        context.Services.AddSingleton(new GGnet.Core.Boot.OsTakeOverLimit(TimeSpan.FromMinutes(5)));
        context.Services.AddSingleton<IDemoImage>(lab);
        context.Services.AddSingleton<IRealOsImage>(lab);
        context.Services.AddSingleton<IModeStore>(lab);
        context.Services.AddSingleton<IAuditLog, InMemoryAuditLog>();
        context.Services.AddSingleton<EmptyImportFolder>();
        context.Services.AddSingleton<IImportFolder>(sp => sp.GetRequiredService<EmptyImportFolder>());
        context.Services.AddSingleton<IUploadReceiver>(sp => sp.GetRequiredService<EmptyImportFolder>());
        context.Services.AddSingleton<IImageFolder>(sp => sp.GetRequiredService<EmptyImportFolder>());
        context.Services.AddSingleton<RecordingWakeOnLan>();
        context.Services.AddSingleton<IIscsiBackend, DownIscsiBackend>();
        context.Services.AddSingleton<SteadyJobs>();
        context.Services.AddSingleton<IJobHealth>(sp => sp.GetRequiredService<SteadyJobs>());
        context.Services.AddSingleton<GGnet.Core.Boot.BootPlaneStatus>();
        context.Services.AddSingleton<InMemorySchedules>();
        context.Services.AddSingleton<IScheduleRepository>(sp => sp.GetRequiredService<InMemorySchedules>());
        context.Services.AddSingleton<IScheduler>(sp => sp.GetRequiredService<InMemorySchedules>());
        context.Services.AddSingleton<IBootWaveJobs>(sp => sp.GetRequiredService<InMemorySchedules>());
        context.Services.AddSingleton<IWakeOnLan>(sp => sp.GetRequiredService<RecordingWakeOnLan>());
        context.Services.AddSingleton(new GGnet.Core.Images.ImageRetention(5));
        context.Services.AddSingleton<GGnet.Core.Sessions.ProvisioningProgress>();
        context.Services.AddSingleton<ISecretProtector>(new GGnet.Infrastructure.Identity.DataProtectionSecrets(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        context.Services.AddSingleton(new GGnet.Core.Iscsi.ChapDefaults(GGnet.Core.Iscsi.ChapPolicy.Off));
        context.Services.AddSingleton(new GGnet.Web.Https.ServedCertificate(new GGnet.Web.Https.HttpsOptions(), null, null, null));
        context.Services.AddSingleton<RecordingChapStore>();
        context.Services.AddSingleton<IChapSettingStore>(sp => sp.GetRequiredService<RecordingChapStore>());
        context.Services.AddSingleton<ILeaseSource, GivenLeases>();
        context.Services.AddSingleton<INeighbourTable>(new GivenNeighbours());
        context.Services.AddSingleton<IBootDaemons, UnwatchedDaemons>();
        context.Services.AddMetrics();
        context.Services.AddSingleton<GGnet.Core.Telemetry.GGnetMetrics>();
        context.Services.AddSingleton<RoomyStoragePool>();
        context.Services.AddSingleton<GGnet.Core.Storage.StorageHistory>();
        context.Services.AddSingleton<IStoragePool>(sp => sp.GetRequiredService<RoomyStoragePool>());
        context.Services.AddSingleton<InMemoryWebhooks>();
        context.Services.AddSingleton<IWebhookRepository>(sp => sp.GetRequiredService<InMemoryWebhooks>());
        context.Services.AddSingleton<IWebhookJobs>(sp => sp.GetRequiredService<InMemoryWebhooks>());
        context.Services.AddSingleton(new GGnet.Core.Webhooks.WebhookPolicy([TimeSpan.FromSeconds(1)], 14));
        context.Services.AddSingleton<InMemoryNodes>();
        context.Services.AddSingleton<INodeRepository>(sp => sp.GetRequiredService<InMemoryNodes>());
        context.Services.AddSingleton(InMemoryNodes.Local);
        foreach (var singleton in UseCases.AfterCommit.Concat(UseCases.BootPath))
        {
            context.Services.AddSingleton(singleton);
        }
        foreach (var useCase in UseCases.All)
        {
            context.Services.AddScoped(useCase);
        }
        context.Services.AddScoped<CurrentUser>();

        var authorization = context.AddAuthorization();
        // Tests take a role away while a page is open: the page's handlers must check it themselves.
        context.Services.AddSingleton(authorization);
        authorization.SetAuthorized(userName);
        if (admin)
        {
            authorization.SetPolicies(Policies.CanOperate, Policies.AdminOnly);
        }
        else if (canOperate)
        {
            authorization.SetPolicies(Policies.CanOperate);
        }
        return context;
    }
}
