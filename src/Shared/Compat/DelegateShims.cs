#if !NET9_0_OR_GREATER
using System;

/// <summary>
/// netstandard2.0 and net8.0: <c>Delegate.EnumerateInvocationList</c> (.NET 9). It walks the array
/// <see cref="Delegate.GetInvocationList"/> allocates, so raising an event with listeners allocates there; with none
/// (the common case) the caller never gets here.
/// </summary>
internal static class DelegateShims
{
    extension(Delegate)
    {
        public static TDelegate[] EnumerateInvocationList<TDelegate>(TDelegate? handlers)
            where TDelegate : Delegate
        {
            if (handlers is null)
            {
                return [];
            }

            Delegate[] list = handlers.GetInvocationList();
            var typed = new TDelegate[list.Length];
            for (int i = 0; i < list.Length; i++)
            {
                typed[i] = (TDelegate)list[i];
            }

            return typed;
        }
    }
}
#endif
