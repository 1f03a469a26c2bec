using System.Text.Json;
using Microsoft.Playwright;

namespace GGnet.Tests.Support;

/// <summary>What "the page fits the screen" means in the browser tests: nothing scrolls sideways, no table is wider than its frame, no table's filters lie over its headers.</summary>
public static class PageFit
{
    public static async Task AssertFitsAsync(IPage page, string where)
    {
        var overflow = await page.EvaluateAsync<JsonElement>(@"() => ({
            page: document.scrollingElement.scrollWidth - window.innerWidth,
            tables: [...document.querySelectorAll('.mud-table-container')].map(t => t.scrollWidth - t.clientWidth),
            overlaps: [...document.querySelectorAll('.mud-table-toolbar')].map(bar => {
                const head = bar.parentElement.querySelector('thead');
                return head ? Math.max(0, bar.getBoundingClientRect().bottom - head.getBoundingClientRect().top) : 0;
            })
        })");

        Assert.True(overflow.GetProperty("page").GetInt32() <= 0, $"{where} scrolls sideways by {overflow.GetProperty("page")} px");
        Assert.All(overflow.GetProperty("tables").EnumerateArray(), t => Assert.True(t.GetInt32() <= 1, $"a table on {where} is {t} px wider than its frame"));
        Assert.All(overflow.GetProperty("overlaps").EnumerateArray(), o => Assert.True(o.GetDouble() <= 0.5, $"the filters on {where} lie {o} px over the table's headers"));
    }
}
