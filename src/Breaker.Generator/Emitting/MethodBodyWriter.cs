using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Model;

namespace Breaker.Generator.Emitting;

/// <summary>Writes the guarded method's implementation part (and, for async methods, its awaiting continuation).</summary>
internal sealed partial class MethodBodyWriter
{
    private const string Exception = "global::System.Exception";
    private const string TaskType = "global::System.Threading.Tasks.Task";
    private const string ValueTaskType = "global::System.Threading.Tasks.ValueTask";
    private const string TokenSource = "global::System.Threading.CancellationTokenSource";
    private const string Zero = "global::System.TimeSpan.Zero";
    private const string TimeProviderTaskExtensions = "global::System.Threading.Tasks.TimeProviderTaskExtensions";

    private readonly GuardedMethodModel _model;
    private readonly IndentedWriter _writer;
    private readonly TargetModel _target;

    // The local that holds the breaker this call goes through (WriteBreakerForCall).
    private readonly string _breaker;
    private readonly string _permit;
    private readonly string _result;
    private readonly string _task;
    private readonly string _exception;
    private readonly string _timeout;
    private readonly string _timeoutException;
    private readonly string _timeoutSource;
    private readonly string _linkedSource;
    private readonly string _token;
    private readonly string _self;
    private readonly string _continuation;
    private readonly string _isFailure;
    private readonly string[] _caughtNames;
    private readonly ParameterModel? _timeoutToken;
    private readonly StreamNames _stream;

    public MethodBodyWriter(GuardedMethodModel model, IndentedWriter writer, TargetModel target)
    {
        _model = model;
        _writer = writer;
        _target = target;
        NameScope names = ScopeFor(model);
        _breaker = names.Take("breaker");
        _permit = names.Take("permit");
        _result = names.Take("result");
        _task = names.Take("task");
        _exception = names.Take("exception");
        _timeout = names.Take("timeout");
        _timeoutException = names.Take("timeoutException");
        _timeoutSource = names.Take("timeoutSource");
        _linkedSource = names.Take("linkedSource");
        _token = names.Take("token");
        _self = names.Take("self");
        _continuation = names.Take("AwaitCompletionAsync");
        _isFailure = names.Take("isFailure");
        EquatableArray<FallbackCaseModel> cases = model.Fallback?.FailureCases ?? EquatableArray<FallbackCaseModel>.Empty;
        _caughtNames = cases.Select(c => c.ExceptionType is null ? string.Empty : names.Take(VariableName(c.ExceptionType))).ToArray();
        _timeoutToken = model.Signature.Parameters.LastOrDefault(p => p.IsCallerCancellationToken);
        _stream = new StreamNames(names);
    }

    /// <summary>The task given up on after the breaker's timeout, on the breaker's clock: a framework method on .NET 8+, Microsoft.Bcl.TimeProvider's before.</summary>
    private string WaitAsync(string task) => _target.TimeProviderInFramework
        ? task + ".WaitAsync(" + _timeout + ", " + _breaker + ".TimeProvider)"
        : TimeProviderTaskExtensions + ".WaitAsync(" + task + ", " + _timeout + ", " + _breaker + ".TimeProvider)";

    /// <summary>A task of the method's type that failed with <paramref name="exception"/>; before .NET 5 a ValueTask wraps a faulted Task.</summary>
    private string FromException(string resultArgument, string exception) =>
        !IsValueTask ? TaskType + ".FromException" + resultArgument + "(" + exception + ")"
        : _target.ValueTaskFromException ? ValueTaskType + ".FromException" + resultArgument + "(" + exception + ")"
        : "new " + ValueTaskType + resultArgument + "(" + TaskType + ".FromException" + resultArgument + "(" + exception + "))";

    private bool IsAsync => _model.Shape is ReturnShape.Task or ReturnShape.TaskOfT or ReturnShape.ValueTask or ReturnShape.ValueTaskOfT;

    private bool HasResult => _model.ResultType is not null;

    private bool IsValueTask => _model.Shape is ReturnShape.ValueTask or ReturnShape.ValueTaskOfT;

    /// <summary><c>Task</c> or <c>Task&lt;T&gt;</c>: what the continuation awaits.</summary>
    private string AwaitedTaskType => HasResult ? TaskType + "<" + _model.ResultType + ">" : TaskType;

    private bool ContinuationNeedsSelf =>
        !_model.Signature.IsStatic
        && ((_model.FailureWhen is { IsStatic: false })
            || (_model.Fallback?.FailureCases.Any(c => !c.Method.IsStatic) ?? false));

    /// <summary>The implementation part's declaration line: modifiers, return type, name, type parameters and parameters.</summary>
    public static string Declaration(MethodSignatureModel signature) =>
        (signature.Modifiers.Length == 0 ? string.Empty : signature.Modifiers + " ") + signature.ReturnType + " " + signature.Name
        + GuardedMethodEmitter.TypeParameterList(signature.TypeParameters)
        + "(" + string.Join(", ", signature.Parameters.Select(p => p.Attributes + p.Modifiers + p.Type + " " + p.Name + p.DefaultValue)) + ")";

    public void Write()
    {
        MethodSignatureModel signature = _model.Signature;

        // No [GeneratedCode] here: attributes of a partial method's parts merge, so it would mark the user's own
        // method as generated, in metadata and for every analyzer that skips generated code (Breaker's included).
        if (signature.Attributes.Length > 0)
        {
            _writer.Line(signature.Attributes.TrimEnd());
        }

        _writer.Line(Declaration(signature));
        foreach (string constraint in signature.Constraints)
        {
            _writer.Line("    " + constraint);
        }

        _writer.Open();
        WriteBreakerForCall();
        if (_model.Shape == ReturnShape.AsyncStream)
        {
            WriteAsyncStream();
            _writer.Close();
            return;
        }

        // With a fallback for rejections, the breaker counts the fallback in the same write as the rejection.
        _writer.Line("var " + _permit + " = " + _breaker
            + (_model.Fallback?.RejectionCase is null ? ".TryAcquire();" : ".TryAcquire(rejectionUsesFallback: true);"));
        _writer.Line("if (!" + _permit + ".IsGranted)").Open();
        if (IsAsync)
        {
            WriteAsyncRejection();
        }
        else
        {
            WriteSyncRejection();
        }

        _writer.Close().Line();
        if (IsAsync)
        {
            WriteAsyncBody();
        }
        else
        {
            WriteSyncBody();
        }

        _writer.Close();
    }

    /// <summary>
    /// Obtains the breaker this call goes through: the one place that decides it. A plain method takes its static field's
    /// breaker; a keyed method asks its group, once per call, for the breaker of the key parameter's value (a
    /// <c>Nullable&lt;T&gt;</c> key without a value gets the group's shared breaker). Either goes through
    /// <c>CircuitBreakerScope.Resolve</c>, which answers that breaker itself (one static read) unless a test's scope stands
    /// in for it in this flow. Everything after uses this local (and the async continuation takes it as a parameter).
    /// </summary>
    private void WriteBreakerForCall()
    {
        string field = _model.BreakerField;
        string breaker = _model.Key is not { } key ? field
            : key.IsNullableValueType ? key.Parameter + ".HasValue ? " + field + ".GetBreaker(" + key.Parameter + ".GetValueOrDefault()) : " + field + ".GetSharedBreaker()"
            : field + ".GetBreaker(" + key.Parameter + ")";
        _writer.Line("var " + _breaker + " = global::Breaker.CircuitBreakerScope.Resolve(" + breaker + ");");
    }

    private void WriteSyncRejection()
    {
        FallbackCaseModel? fallback = _model.Fallback?.RejectionCase;
        if (fallback is null)
        {
            _writer.Line("throw " + _breaker + ".CreateRejectedException();");
            return;
        }

        string call = FallbackCall(fallback, _breaker + ".CreateRejectedException()", receiver: string.Empty);
        if (_model.Shape == ReturnShape.Void)
        {
            _writer.Line(call + ";").Line("return;");
        }
        else
        {
            _writer.Line("return " + call + ";");
        }
    }

    private void WriteSyncBody()
    {
        string call = Call(_model.Implementation, Arguments(replaceToken: false), receiver: string.Empty);
        if (HasResult)
        {
            _writer.Line((_model.Signature.ResultLocalType ?? _model.Signature.ReturnType) + " " + _result + ";");
        }

        _writer.Line("try").Open();
        _writer.Line(HasResult ? _result + " = " + call + ";" : call + ";");
        _writer.Close();
        WriteCatches(timeoutClause: null, receiver: string.Empty);
        _writer.Line();
        WriteOutcome(_result, receiver: string.Empty);
        if (HasResult)
        {
            _writer.Line("return " + _result + ";");
        }
    }

    private void WriteAsyncRejection()
    {
        FallbackCaseModel? fallback = _model.Fallback?.RejectionCase;
        if (fallback is null)
        {
            string resultArgument = HasResult ? "<" + _model.ResultType + ">" : string.Empty;
            string factory = IsValueTask ? ValueTaskType : TaskType;
            _writer.Line("return " + FromException(resultArgument, _breaker + ".CreateRejectedException()") + ";");
            return;
        }

        string call = FallbackCall(fallback, _breaker + ".CreateRejectedException()", receiver: string.Empty);
        string returnType = _model.Signature.ReturnType;
        switch (fallback.Returns)
        {
            case FallbackReturn.Void:
                _writer.Line(call + ";");
                _writer.Line(IsValueTask ? "return default;" : "return " + TaskType + ".CompletedTask;");
                break;
            case FallbackReturn.Result:
                _writer.Line(IsValueTask
                    ? "return new " + returnType + "(" + call + ");"
                    : "return " + TaskType + ".FromResult<" + _model.ResultType + ">(" + call + ");");
                break;
            case FallbackReturn.Task:
                _writer.Line(IsValueTask ? "return new " + returnType + "(" + call + ");" : "return " + call + ";");
                break;
            default:
                _writer.Line(IsValueTask ? "return " + call + ";" : "return " + call + ".AsTask();");
                break;
        }
    }

    private void WriteAsyncBody()
    {
        string returnType = _model.Signature.ReturnType;
        _writer.Line("var " + _timeout + " = " + _breaker + ".Timeout;");
        if (_timeoutToken is not null)
        {
            WriteTimeoutToken(_timeoutToken.Name);
        }

        _writer.Line(returnType + " " + _task + ";");
        _writer.Line("try").Open();
        _writer.Line(_task + " = " + Call(_model.Implementation, Arguments(replaceToken: true), receiver: string.Empty) + ";");
        _writer.Close();
        _writer.Line("catch (" + Exception + " " + _exception + ")").Open();
        string resultArgument = HasResult ? "<" + _model.ResultType + ">" : string.Empty;
        _writer.Line(_task + " = " + FromException(resultArgument, _exception) + ";");
        _writer.Close().Line();

        // netstandard2.0's Task has no IsCompletedSuccessfully (ValueTask, from System.Threading.Tasks.Extensions, does).
        _writer.Line("if (" + _task + (IsValueTask || _target.TaskIsCompletedSuccessfully
            ? ".IsCompletedSuccessfully)"
            : ".Status == global::System.Threading.Tasks.TaskStatus.RanToCompletion)")).Open();
        if (_timeoutToken is not null)
        {
            _writer.Line(_linkedSource + "?.Dispose();");
            _writer.Line(_timeoutSource + "?.Dispose();");
        }

        if (_model.FailureWhen is not null)
        {
            _writer.Line("var " + _result + " = " + _task + ".Result;");
            WriteOutcome(_result, receiver: string.Empty);
            _writer.Line(_model.Shape == ReturnShape.ValueTaskOfT ? "return new " + returnType + "(" + _result + ");" : "return " + _task + ";");
        }
        else
        {
            _writer.Line(_permit + ".RecordSuccess();");
            _writer.Line("return " + _task + ";");
        }

        _writer.Close().Line();

        var arguments = new List<string> { IsValueTask ? _task + ".AsTask()" : _task, _permit, _breaker };
        arguments.AddRange(_timeoutToken is null ? new[] { _timeout } : new[] { _timeoutSource, _linkedSource });
        if (ContinuationNeedsSelf)
        {
            arguments.Add("this");
        }

        arguments.AddRange(_model.Signature.Parameters.Select(p => p.Name));
        _writer.Line("return " + _continuation + "(" + string.Join(", ", arguments) + ");");
        _writer.Line();
        WriteContinuation();
    }

    /// <summary>The token the call gets: <paramref name="callerToken"/>, linked with a timer when the breaker has a timeout.</summary>
    private void WriteTimeoutToken(string callerToken)
    {
        _writer.Line("var " + _token + " = " + callerToken + ";");
        _writer.Line(TokenSource + "? " + _timeoutSource + " = null;");
        _writer.Line(TokenSource + "? " + _linkedSource + " = null;");
        _writer.Line("if (" + _timeout + " > " + Zero + ")").Open();
        _writer.Line(_timeoutSource + " = " + (_target.TimeProviderInFramework
            ? "new " + TokenSource + "(" + _timeout + ", " + _breaker + ".TimeProvider);"
            : TimeProviderTaskExtensions + ".CreateCancellationTokenSource(" + _breaker + ".TimeProvider, " + _timeout + ");"));
        _writer.Line(_linkedSource + " = " + TokenSource + ".CreateLinkedTokenSource(" + callerToken + ", " + _timeoutSource + ".Token);");
        _writer.Line(_token + " = " + _linkedSource + ".Token;");
        _writer.Close().Line();
    }

    private void WriteContinuation()
    {
        var parameters = new List<string> { AwaitedTaskType + " " + _task, "global::Breaker.CircuitPermit " + _permit, "global::Breaker.CircuitBreaker " + _breaker };
        if (_timeoutToken is null)
        {
            parameters.Add("global::System.TimeSpan " + _timeout);
        }
        else
        {
            parameters.Add(TokenSource + "? " + _timeoutSource);
            parameters.Add(TokenSource + "? " + _linkedSource);
        }

        if (ContinuationNeedsSelf)
        {
            parameters.Add(_model.SelfType + " " + _self);
        }

        parameters.AddRange(_model.Signature.Parameters.Select(p => p.Type + " " + p.Name));
        _writer.Line("static async " + _model.Signature.ReturnType + " " + _continuation + "(" + string.Join(", ", parameters) + ")").Open();
        string receiver = ContinuationNeedsSelf ? _self + "." : string.Empty;
        if (HasResult)
        {
            _writer.Line(_model.ResultType + " " + _result + ";");
        }

        string awaited = _timeoutToken is null
            ? "(" + _timeout + " > " + Zero + " ? " + WaitAsync(_task) + " : " + _task + ")"
            : _task;
        _writer.Line("try").Open();
        _writer.Line((HasResult ? _result + " = " : string.Empty) + "await " + awaited + ".ConfigureAwait(false);");
        _writer.Close();
        WriteCatches(_timeoutToken is null ? (System.Action<string>)WriteWaitTimeoutClause : WriteTokenTimeoutClause, receiver);
        if (_timeoutToken is not null)
        {
            _writer.Line("finally").Open();
            _writer.Line(_linkedSource + "?.Dispose();");
            _writer.Line(_timeoutSource + "?.Dispose();");
            _writer.Close();
        }

        _writer.Line();
        WriteOutcome(_result, receiver);
        if (HasResult)
        {
            _writer.Line("return " + _result + ";");
        }

        _writer.Close();
    }

    private void WriteTokenTimeoutClause(string receiver)
    {
        _writer.Line("catch (global::System.OperationCanceledException " + _exception + ") when (" + _timeoutSource + " is not null && " + _timeoutSource + ".IsCancellationRequested)").Open();
        WriteTimeout(receiver);
        _writer.Close();
    }

    private void WriteWaitTimeoutClause(string receiver)
    {
        _writer.Line("catch (global::System.TimeoutException " + _exception + ") when (" + _exception + " != " + _task + ".Exception?.InnerException)").Open();
        WriteTimeout(receiver);
        _writer.Close();
    }

    /// <summary>The breaker's own TimeoutException (one wording, the runtime's), recorded, then the fallback or thrown.</summary>
    private void WriteTimeout(string receiver)
    {
        _writer.Line("var " + _timeoutException + " = " + _breaker + ".CreateTimeoutException(" + _exception + ");");
        _writer.Line(_permit + ".RecordFailure(" + _timeoutException + ", global::Breaker.FailureKind.Timeout);");
        if (_model.Fallback?.TimeoutCase is { } fallback)
        {
            WriteFallbackUse(fallback, _timeoutException, receiver);
        }
        else
        {
            _writer.Line("throw " + _timeoutException + ";");
        }
    }

    /// <summary>The catch clauses: caller cancellation, timeout, <c>Ignores</c>, <c>Handles</c>, then failures.</summary>
    private void WriteCatches(System.Action<string>? timeoutClause, string receiver)
    {
        var tokens = _model.Signature.Parameters.Where(p => p.IsCallerCancellationToken).Select(p => p.Name + ".IsCancellationRequested").ToList();
        if (tokens.Count > 0)
        {
            _writer.Line("catch (global::System.OperationCanceledException) when (" + string.Join(" || ", tokens) + ")").Open();
            _writer.Line(_permit + ".RecordIgnored();").Line("throw;");
            _writer.Close();
        }

        timeoutClause?.Invoke(receiver);
        if (_model.Ignores.Count > 0)
        {
            _writer.Line("catch (" + Exception + " " + _exception + ") when (" + TypeTest(_model.Ignores) + ")").Open();
            _writer.Line(_permit + ".RecordIgnored();").Line("throw;");
            _writer.Close();
        }

        if (_model.Handles.Count > 0)
        {
            _writer.Line("catch (" + Exception + " " + _exception + ") when (!(" + TypeTest(_model.Handles) + "))").Open();
            _writer.Line(_permit + ".RecordSuccess();").Line("throw;");
            _writer.Close();
        }

        _writer.Line("catch (" + Exception + " " + _exception + ")").Open();
        _writer.Line(_permit + ".RecordFailure(" + _exception + ");");
        WriteFallbackChain(_exception, "throw;", receiver);
        _writer.Close();
    }

    private string TypeTest(EquatableArray<string> types) =>
        string.Join(" || ", types.Select(t => _exception + " is " + t));

    /// <summary>Uses the first fallback overload that takes <paramref name="error"/>, or runs <paramref name="otherwise"/>.</summary>
    private void WriteFallbackChain(string error, string otherwise, string receiver)
    {
        EquatableArray<FallbackCaseModel> cases = _model.Fallback?.FailureCases ?? EquatableArray<FallbackCaseModel>.Empty;
        for (int i = 0; i < cases.Count; i++)
        {
            FallbackCaseModel fallback = cases[i];
            if (fallback.ExceptionType is null || fallback.ExceptionType == Exception)
            {
                WriteFallbackUse(fallback, fallback.ExceptionType is null ? null : error, receiver);
                return;
            }

            _writer.Line("if (" + error + " is " + fallback.ExceptionType + " " + _caughtNames[i] + ")").Open();
            WriteFallbackUse(fallback, _caughtNames[i], receiver);
            _writer.Close();
        }

        _writer.Line(otherwise);
    }

    private void WriteFallbackUse(FallbackCaseModel fallback, string? error, string receiver)
    {
        _writer.Line(_breaker + ".RecordFallback();");
        string call = FallbackCall(fallback, error, receiver);
        switch (fallback.Returns)
        {
            case FallbackReturn.SameType when _model.Shape == ReturnShape.Void:
            case FallbackReturn.Void:
                _writer.Line(call + ";").Line("return;");
                break;
            case FallbackReturn.SameType:
            case FallbackReturn.Result:
                _writer.Line("return " + call + ";");
                break;
            default:
                _writer.Line(HasResult
                    ? "return await " + call + ".ConfigureAwait(false);"
                    : "await " + call + ".ConfigureAwait(false);");
                if (!HasResult)
                {
                    _writer.Line("return;");
                }

                break;
        }
    }

    /// <summary>Records the outcome of a call that returned: <c>FailureWhen</c> decides, otherwise a success.</summary>
    private void WriteOutcome(string result, string receiver)
    {
        if (_model.FailureWhen is not { } predicate)
        {
            _writer.Line(_permit + ".RecordSuccess();");
            return;
        }

        // A predicate that throws must still give the permit back (a probe would otherwise hold its slot).
        _writer.Line("bool " + _isFailure + ";");
        _writer.Line("try").Open();
        _writer.Line(_isFailure + " = " + Call(predicate, result, predicate.IsStatic ? string.Empty : receiver) + ";");
        _writer.Close();
        _writer.Line("catch").Open();
        _writer.Line(_permit + ".RecordIgnored();");
        _writer.Line("throw;");
        _writer.Close().Line();
        _writer.Line("if (" + _isFailure + ")").Open();
        _writer.Line(_permit + ".RecordFailure(null);");
        _writer.Close();
        _writer.Line("else").Open();
        _writer.Line(_permit + ".RecordSuccess();");
        _writer.Close().Line();
    }

    private string FallbackCall(FallbackCaseModel fallback, string? error, string receiver)
    {
        var arguments = new List<string>();
        if (fallback.PassesArguments)
        {
            arguments.Add(Arguments(replaceToken: false));
        }

        if (fallback.ExceptionType is not null && error is not null)
        {
            arguments.Add(error);
        }

        return Call(fallback.Method, string.Join(", ", arguments.Where(a => a.Length > 0)), fallback.Method.IsStatic ? string.Empty : receiver);
    }

    private string Call(MemberCallModel member, string arguments, string receiver) =>
        receiver + member.Target + member.Name
        + (member.PassesTypeArguments ? GuardedMethodEmitter.TypeParameterList(_model.Signature.TypeParameters) : string.Empty)
        + "(" + arguments + ")";

    private string Arguments(bool replaceToken) =>
        string.Join(", ", _model.Signature.Parameters.Select(p =>
            replaceToken && ReferenceEquals(p, _timeoutToken) ? _token : p.ArgumentModifier + p.Name));

    /// <summary><c>global::System.Net.Http.HttpRequestException</c> becomes <c>httpRequestException</c>.</summary>
    private static string VariableName(string type)
    {
        string name = type;
        int generic = name.IndexOf('<');
        if (generic >= 0)
        {
            name = name.Substring(0, generic);
        }

        name = name.Substring(name.LastIndexOfAny(new[] { '.', ':' }) + 1).TrimStart('@');
        int upper = 1;
        while (upper < name.Length - 1 && char.IsUpper(name[upper]) && char.IsUpper(name[upper + 1]))
        {
            upper++;
        }

        return name.Substring(0, upper).ToLowerInvariant() + name.Substring(upper);
    }

    /// <summary>The names generated locals must not reuse: parameters, type parameters and the method itself.</summary>
    private static NameScope ScopeFor(GuardedMethodModel model) =>
        new NameScope(model.Signature.Parameters.Select(p => p.Name)
            .Concat(model.Signature.TypeParameters)
            .Concat(model.ContainingTypes.SelectMany(t => t.TypeParameters))
            .Concat(new[] { model.Signature.Name }));
}
