namespace Sinew.Host.Dashboard;

/// <summary>Markup that is already safe to write as is: built by an <see cref="HtmlWriter"/> or a literal of the dashboard's own.</summary>
internal readonly record struct HtmlContent(string Value)
{
    public override string ToString() => Value;
}
