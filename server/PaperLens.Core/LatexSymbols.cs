namespace PaperLens.Core;

/// <summary>The tables behind <see cref="LatexText"/>: accent commands, special letters and common symbols.</summary>
internal static class LatexSymbols
{
    /// <summary>The combining mark for an accent command (<c>\'</c>, <c>\"</c>, <c>\c</c>, <c>\v</c>…), or null.</summary>
    public static char? AccentMark(char command) => command switch
    {
        '\'' => '\u0301', '`' => '\u0300', '^' => '\u0302', '"' => '\u0308', '~' => '\u0303',
        '=' => '\u0304', '.' => '\u0307', 'u' => '\u0306', 'v' => '\u030C', 'H' => '\u030B',
        'r' => '\u030A', 'c' => '\u0327', 'k' => '\u0328', 'd' => '\u0323', 'b' => '\u0331',
        't' => '\u0361',
        _ => null,
    };

    /// <summary>Letters written as commands (<c>\ss</c>, <c>\o</c>, <c>\ae</c>…); the spaces after them are eaten.</summary>
    public static string? Letter(ReadOnlySpan<char> name) => name switch
    {
        "ss" => "ß", "SS" => "SS",
        "o" => "ø", "O" => "Ø",
        "ae" => "æ", "AE" => "Æ",
        "oe" => "œ", "OE" => "Œ",
        "aa" => "å", "AA" => "Å",
        "l" => "ł", "L" => "Ł",
        "i" => "ı", "j" => "ȷ",
        "dh" => "ð", "DH" => "Ð",
        "th" => "þ", "TH" => "Þ",
        "ng" => "ŋ", "NG" => "Ŋ",
        "dj" => "đ", "DJ" => "Đ",
        _ => null,
    };

    /// <summary>Symbols and math commands worth keeping as text; the spaces after them are kept.</summary>
    public static string? Symbol(ReadOnlySpan<char> name) => name switch
    {
        "textendash" => "–", "textemdash" => "—", "ldots" or "dots" or "textellipsis" => "…",
        "textquoteleft" => "‘", "textquoteright" => "’", "textquotedblleft" => "“", "textquotedblright" => "”",
        "guillemotleft" => "«", "guillemotright" => "»", "textregistered" => "®", "texttrademark" => "™",
        "copyright" or "textcopyright" => "©", "textdegree" => "°", "S" => "§", "P" => "¶",
        "pounds" or "textsterling" => "£", "euro" or "texteuro" => "€", "textbullet" => "•",
        "LaTeX" => "LaTeX", "TeX" => "TeX", "BibTeX" => "BibTeX",
        "texttimes" or "times" => "×", "div" => "÷", "pm" => "±", "mp" => "∓", "cdot" => "·",
        "le" or "leq" or "leqslant" => "≤", "ge" or "geq" or "geqslant" => "≥", "ne" or "neq" => "≠",
        "approx" => "≈", "sim" => "∼", "equiv" => "≡", "propto" => "∝", "infty" => "∞",
        "in" => "∈", "notin" => "∉", "subset" => "⊂", "subseteq" => "⊆", "cup" => "∪", "cap" => "∩",
        "forall" => "∀", "exists" => "∃", "neg" => "¬", "wedge" or "land" => "∧", "vee" or "lor" => "∨",
        "to" or "rightarrow" => "→", "leftarrow" => "←", "Rightarrow" => "⇒", "Leftarrow" => "⇐",
        "leftrightarrow" => "↔", "Leftrightarrow" => "⇔", "mapsto" => "↦",
        "sum" => "∑", "prod" => "∏", "int" => "∫", "partial" => "∂", "nabla" => "∇", "sqrt" => "√",
        "emptyset" => "∅", "ell" => "ℓ", "prime" => "′", "circ" => "∘", "star" => "⋆", "ast" => "∗",
        "langle" => "⟨", "rangle" => "⟩", "lfloor" => "⌊", "rfloor" => "⌋", "lceil" => "⌈", "rceil" => "⌉",
        "log" or "lg" or "ln" or "exp" or "min" or "max" or "sin" or "cos" or "tan" or "lim" or "det"
            or "arg" or "deg" or "dim" or "gcd" or "inf" or "sup" or "Pr" => name.ToString(),
        "alpha" => "α", "beta" => "β", "gamma" => "γ", "delta" => "δ", "epsilon" or "varepsilon" or "eps" => "ε",
        "zeta" => "ζ", "eta" => "η", "theta" or "vartheta" => "θ", "iota" => "ι", "kappa" => "κ",
        "lambda" => "λ", "mu" => "μ", "nu" => "ν", "xi" => "ξ", "pi" or "varpi" => "π", "rho" or "varrho" => "ρ",
        "sigma" or "varsigma" => "σ", "tau" => "τ", "upsilon" => "υ", "phi" or "varphi" => "φ", "chi" => "χ",
        "psi" => "ψ", "omega" => "ω",
        "Gamma" => "Γ", "Delta" => "Δ", "Theta" => "Θ", "Lambda" => "Λ", "Xi" => "Ξ", "Pi" => "Π",
        "Sigma" => "Σ", "Upsilon" => "Υ", "Phi" => "Φ", "Psi" => "Ψ", "Omega" => "Ω",
        _ => null,
    };
}
