namespace Sinew.Security.Jwt;

/// <summary>
/// Checks a compact JWS against a key set and <see cref="JwtRules"/>. Every refusal says why in words safe to log
/// (never the token itself, which is a credential).
/// </summary>
internal static class JwtValidator
{
    /// <summary>The outcome: the token's claims when valid, otherwise why not.</summary>
    public sealed record Result(JsonWebToken? Token, string? Error)
    {
        public bool IsValid => Token is not null;
    }

    /// <summary>
    /// Validates <paramref name="token"/>; <paramref name="keys"/> gives the candidate keys for a <c>kid</c> (asked
    /// again with <c>refresh: true</c> once when no candidate verifies, so a rotated key set is picked up).
    /// </summary>
    public static async ValueTask<Result> ValidateAsync(string token, JwtRules rules, Func<string?, bool, CancellationToken, ValueTask<IReadOnlyList<SigningKey>>> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (JsonWebToken.TryParse(token, out var parseError) is not { } jwt)
        {
            return new Result(null, parseError);
        }
        var algorithm = jwt.Algorithm;
        if (algorithm.Length == 0 || string.Equals(algorithm, "none", StringComparison.OrdinalIgnoreCase))
        {
            return new Result(null, "unsigned tokens (alg none) are refused");
        }
        if (!rules.Algorithms.Contains(algorithm))
        {
            return new Result(null, algorithm.StartsWith("HS", StringComparison.Ordinal)
                ? $"HMAC tokens ({algorithm}) are refused; only {string.Join(", ", rules.Algorithms)}"
                : $"algorithm '{algorithm}' is not accepted; only {string.Join(", ", rules.Algorithms)}");
        }
        if (jwt.Header.TryGetProperty("crit", out _))
        {
            return new Result(null, "tokens with critical header extensions are refused");
        }
        var verified = false;
        foreach (var refresh in new[] { false, true })
        {
            var candidates = await keys(jwt.KeyId, refresh, cancellationToken);
            if (candidates.Any(k => (jwt.KeyId is null || k.KeyId is null || k.KeyId == jwt.KeyId) && k.Verify(jwt, algorithm)))
            {
                verified = true;
                break;
            }
        }
        if (!verified)
        {
            return new Result(null, jwt.KeyId is null ? "the signature does not verify with any trusted key" : $"the signature does not verify with trusted key '{Short(jwt.KeyId)}'");
        }
        if (jwt.ClaimString("iss") != rules.Issuer)
        {
            return new Result(null, $"wrong issuer: expected '{rules.Issuer}'");
        }
        if (rules.Audience is { } audience && !jwt.ClaimStrings("aud").Contains(audience, StringComparer.Ordinal))
        {
            return new Result(null, $"wrong audience: the token is not for '{audience}'");
        }
        return CheckTimes(jwt, rules, now);
    }

    private static Result CheckTimes(JsonWebToken jwt, JwtRules rules, DateTimeOffset now)
    {
        if (jwt.ClaimTime("exp") is not { } expires)
        {
            return new Result(null, "the token has no expiry (exp)");
        }
        if (now > expires + rules.ClockSkew)
        {
            return new Result(null, "the token has expired");
        }
        if (jwt.ClaimTime("nbf") is { } notBefore && now + rules.ClockSkew < notBefore)
        {
            return new Result(null, "the token is not valid yet (nbf is ahead of this clock by more than the allowed skew)");
        }
        if (jwt.ClaimTime("iat") is { } issued && now + rules.ClockSkew < issued)
        {
            return new Result(null, "the token was issued in the future (iat is ahead of this clock by more than the allowed skew)");
        }
        if (rules.MaxRemainingLifetime is { } max && expires > now + max + rules.ClockSkew)
        {
            return new Result(null, $"the token lives too long: exp may be at most {max.TotalMinutes:0} minutes ahead");
        }
        return new Result(jwt, null);
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
