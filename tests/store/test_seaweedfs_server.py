"""The SeaweedFS test server behaves like R2 where offload depends on it."""

from __future__ import annotations

import botocore.exceptions
import pytest

from testing.servers import S3Server


def test_seaweedfs_refuses_a_second_conditional_create(seaweedfs_s3: S3Server,
                                                       seaweedfs_bucket: str) -> None:
    client = seaweedfs_s3.client()
    client.put_object(Bucket=seaweedfs_bucket, Key="v1.png", Body=b"first", IfNoneMatch="*")  # type: ignore[attr-defined]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.put_object(Bucket=seaweedfs_bucket, Key="v1.png", Body=b"second", IfNoneMatch="*")  # type: ignore[attr-defined]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    body = client.get_object(Bucket=seaweedfs_bucket, Key="v1.png")["Body"].read()  # type: ignore[attr-defined]
    assert body == b"first"


def test_seaweedfs_checks_credentials(seaweedfs_s3: S3Server, seaweedfs_bucket: str) -> None:
    import boto3

    stranger = boto3.client("s3", endpoint_url=seaweedfs_s3.endpoint_url, region_name="us-east-1",
                            aws_access_key_id="nobody", aws_secret_access_key="wrong")
    with pytest.raises(botocore.exceptions.ClientError):
        stranger.list_objects_v2(Bucket=seaweedfs_bucket)
