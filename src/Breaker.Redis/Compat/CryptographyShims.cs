#if !NET8_0_OR_GREATER
using System;
using System.Security.Cryptography;

/// <summary>netstandard2.0: the one-shot HMAC and random-bytes members of .NET 6, with the same call shapes.</summary>
internal static class CryptographyShims
{
    extension(HMACSHA256)
    {
        public static byte[] HashData(byte[] key, byte[] source)
        {
            using var hmac = new HMACSHA256(key);
            return hmac.ComputeHash(source);
        }

        public static int HashData(byte[] key, byte[] source, Span<byte> destination)
        {
            byte[] hash = HashData(key, source);
            hash.CopyTo(destination);
            return hash.Length;
        }
    }

    extension(RandomNumberGenerator)
    {
        public static byte[] GetBytes(int count)
        {
            byte[] bytes = new byte[count];
            using var generator = RandomNumberGenerator.Create();
            generator.GetBytes(bytes);
            return bytes;
        }
    }
}
#endif
