using GGnet.Core.Errors;

namespace GGnet.Web.Api;

/// <summary>Turns refused input into 400, clashes into 409 and missing things into 404, each with a sentence.</summary>
public sealed class DomainErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (InvalidInputException invalid)
        {
            return Results.ValidationProblem(invalid.Errors.ToDictionary(e => e.Key, e => e.Value), detail: "Some fields are not valid; see errors.");
        }
        catch (ConflictException conflict)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Message);
        }
        catch (GGnet.Core.Boot.BootNetworkNotConfiguredException notConfigured)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Boot network not configured", detail: notConfigured.Message);
        }
        catch (NotFoundException missing)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: missing.Message);
        }
        catch (TooLargeException tooLarge)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large", detail: tooLarge.Message);
        }
    }
}
