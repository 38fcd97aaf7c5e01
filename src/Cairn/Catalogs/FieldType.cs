namespace Cairn.Catalogs;

/// <summary>The declared type of a <c>data</c> field, which drives coercion of quoted values.</summary>
internal enum FieldType
{
    String,
    Integer,
    Number,
    Boolean,
}
