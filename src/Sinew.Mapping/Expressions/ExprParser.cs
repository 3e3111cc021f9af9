using System.Globalization;

namespace Sinew.Mapping.Expressions;

/// <summary>
/// Parses mapping expressions: <c>'text'</c> and numbers are literals; <c>name(arg, …)</c> calls one of the mapping
/// functions; anything else up to a top-level comma or closing parenthesis is a path in the input's own language
/// (<c>FT1-7.1</c>, <c>suppliedItem.quantity.value</c>, <c>items[0].code</c>, <c>Quantity</c>), so FHIRPath with its
/// own parentheses and quotes passes through whole.
/// </summary>
public static class ExprParser
{
    public static Expr Parse(string text)
    {
        var position = 0;
        var expr = ParseExpr(text, ref position);
        SkipSpace(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException($"unexpected '{text[position]}' at column {position + 1} of '{text}'");
        }
        return expr;
    }

    private static Expr ParseExpr(string text, ref int position)
    {
        SkipSpace(text, ref position);
        if (position >= text.Length)
        {
            throw new FormatException($"an expression is missing at column {position + 1} of '{text}'");
        }
        var start = position;
        var c = text[position];
        if (c == '\'')
        {
            var value = ReadQuoted(text, ref position);
            return new LiteralExpr(value) { Text = text[start..position] };
        }
        if (char.IsAsciiDigit(c) || (c == '-' && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1])))
        {
            var end = position + 1;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
            {
                end++;
            }
            if (end == text.Length || text[end] is ',' or ')' or ' ')
            {
                var number = text[position..end];
                if (decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                {
                    position = end;
                    return new LiteralExpr(number) { Text = number };
                }
            }
        }
        var identifierEnd = position;
        while (identifierEnd < text.Length && (char.IsAsciiLetter(text[identifierEnd]) || (identifierEnd > position && char.IsAsciiDigit(text[identifierEnd]))))
        {
            identifierEnd++;
        }
        var name = text[position..identifierEnd];
        if (identifierEnd < text.Length && text[identifierEnd] == '(' && MappingFunctions.IsKnown(name))
        {
            position = identifierEnd + 1;
            var arguments = new List<Expr>();
            SkipSpace(text, ref position);
            if (position < text.Length && text[position] == ')')
            {
                position++;
            }
            else
            {
                while (true)
                {
                    arguments.Add(ParseExpr(text, ref position));
                    SkipSpace(text, ref position);
                    if (position >= text.Length)
                    {
                        throw new FormatException($"')' is missing after the arguments of {name}() in '{text}'");
                    }
                    if (text[position] == ',')
                    {
                        position++;
                        continue;
                    }
                    if (text[position] == ')')
                    {
                        position++;
                        break;
                    }
                    throw new FormatException($"unexpected '{text[position]}' at column {position + 1} of '{text}'");
                }
            }
            MappingFunctions.CheckArity(name, arguments.Count);
            return new CallExpr(name.ToLowerInvariant(), arguments) { Text = text[start..position] };
        }
        var path = ReadPath(text, ref position);
        if (path.Length == 0)
        {
            throw new FormatException($"an expression is missing at column {start + 1} of '{text}'");
        }
        return new PathExpr(path) { Text = path };
    }

    private static string ReadPath(string text, ref int position)
    {
        var start = position;
        var depth = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '\'' || c == '"')
            {
                ReadQuoted(text, ref position, c);
                continue;
            }
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                if (depth == 0)
                {
                    break;
                }
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                break;
            }
            position++;
        }
        return text[start..position].Trim();
    }

    private static string ReadQuoted(string text, ref int position, char quote = '\'')
    {
        var builder = new System.Text.StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position++];
            if (c == '\\' && position < text.Length)
            {
                builder.Append(text[position++]);
                continue;
            }
            if (c == quote)
            {
                return builder.ToString();
            }
            builder.Append(c);
        }
        throw new FormatException($"a quote is not closed in '{text}'");
    }

    private static void SkipSpace(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
