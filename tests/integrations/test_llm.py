"""The LLM client against a loopback stub speaking each provider's wire format."""

from __future__ import annotations

import pytest

from integrations import llm
from tests.integrations.stubs import StubLlm, running_stub_llm
from workflows.engine import GuardedHttpClient


@pytest.fixture
def stub():
    with running_stub_llm(StubLlm()) as running:
        yield running


@pytest.fixture
def http_client():
    client = GuardedHttpClient(allow_list=["127.0.0.1"])
    yield client
    client.close()


def anthropic(stub, key="stub-anthropic-key"):
    return llm.LlmProvider(provider="anthropic", base_url=stub.base_url, api_key=key, default_model="")


def openai(stub):
    return llm.LlmProvider(provider="openai_compatible", base_url=stub.base_url, api_key="stub-openai-key")


def test_anthropic_messages_are_sent_in_its_format_and_tokens_come_back(stub, http_client):
    request = llm.ChatRequest(messages=[{"role": "user", "content": "Hi"}], system="Be brief.", temperature=0.2)
    reply = llm.chat(anthropic(stub), request, http_client=http_client, default_model="claude-sonnet-4-5")
    sent = stub.requests[0]
    assert sent["path"] == "/v1/messages"
    assert sent["headers"]["anthropic-version"] == llm.ANTHROPIC_VERSION
    assert sent["body"] == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hi"}],
        "temperature": 0.2,
    }
    assert (reply.text, reply.input_tokens, reply.output_tokens) == ("Hello from the stub.", 11, 7)


def test_openai_compatible_chat_puts_the_system_prompt_first_and_asks_for_json(stub, http_client):
    stub.reply_text = '{"answer": 42}'
    request = llm.ChatRequest(
        messages=[{"role": "user", "content": "Q"}], system="S", model="gpt-stub", json_output=True
    )
    reply = llm.chat(openai(stub), request, http_client=http_client)
    body = stub.requests[0]["body"]
    assert stub.requests[0]["path"] == "/v1/chat/completions"
    assert body["messages"][0] == {"role": "system", "content": "S"}
    assert body["response_format"] == {"type": "json_object"}
    assert reply.data == {"answer": 42}
    assert reply.total_tokens == 18


def test_a_429_is_one_request_and_a_retryable_error_that_passes_on_retry_after(stub, http_client):
    """One retry policy per node: the client never retries by itself, the node's policy does."""
    stub.rate_limited = 1
    request = llm.ChatRequest(messages=[{"role": "user", "content": "Hi"}], model="m")
    with pytest.raises(llm.LlmError) as caught:
        llm.chat(anthropic(stub), request, http_client=http_client)
    assert len(stub.requests) == 1
    assert caught.value.retryable and "429" in caught.value.message
    assert caught.value.retry_after == 7.0


def test_a_server_error_without_retry_after_is_retryable_with_no_delay_of_its_own(stub, http_client):
    stub.rate_limited, stub.retry_after = 1, ""
    with pytest.raises(llm.LlmError) as caught:
        llm.chat(openai(stub), llm.ChatRequest(messages=[], model="m"), http_client=http_client)
    assert caught.value.retryable and caught.value.retry_after is None
    assert len(stub.requests) == 1


def test_a_refused_key_is_an_auth_error_that_does_not_contain_the_key(stub, http_client):
    with pytest.raises(llm.LlmError) as caught:
        llm.chat(anthropic(stub, key="wrong-key-zzz"), llm.ChatRequest(messages=[], model="m"), http_client=http_client)
    assert caught.value.code == "LLM_AUTH"
    assert "wrong-key-zzz" not in caught.value.message


def test_no_model_anywhere_is_a_clear_error(stub, http_client):
    with pytest.raises(llm.LlmError, match="No model"):
        llm.chat(openai(stub), llm.ChatRequest(messages=[]), http_client=http_client)


def test_retry_after_as_an_http_date_is_understood():
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert llm.retry_after_seconds({"retry-after": "Thu, 01 Jan 2026 12:00:05 GMT"}, lambda: now) == 5.0
    assert llm.retry_after_seconds({"Retry-After": "3"}, lambda: now) == 3.0
    assert llm.retry_after_seconds({}, lambda: now) is None
    assert llm.retry_after_seconds({"retry-after": "soon"}, lambda: now) is None


def test_the_loopback_stub_is_refused_unless_allow_listed(stub):
    client = GuardedHttpClient()
    with pytest.raises(llm.LlmError) as caught:
        llm.chat(openai(stub), llm.ChatRequest(messages=[], model="m"), http_client=client)
    assert caught.value.code == "LLM_UNREACHABLE"
    assert stub.requests == []
